-- Recall obligations (N45-8s, N45-8) are about a defect assessment, not an incident: they were filed
-- under the subject type 'incident' with the assessment's id (dfa_...), so the register showed
-- "Incident dfa_..." and filtering by incidents listed them. They get a subject type of their own,
-- and their natural keys (rule[#part]:subjectType:subjectId:addressee) follow.
ALTER TABLE obligations DROP CONSTRAINT obligations_subject_type_check;
ALTER TABLE obligations ADD CONSTRAINT obligations_subject_type_check
  CHECK (subject_type IN ('product', 'campaign', 'incident', 'manufacturer', 'defect_assessment'));

SELECT set_config('app.tenant_id', '*', true);
UPDATE obligations
   SET subject_type = 'defect_assessment',
       key = replace(key, ':incident:' || subject_id || ':', ':defect_assessment:' || subject_id || ':')
 WHERE subject_type = 'incident' AND subject_id LIKE 'dfa\_%';
UPDATE obligations
   SET after_keys = replace(after_keys::text, ':incident:dfa_', ':defect_assessment:dfa_')::jsonb
 WHERE after_keys::text LIKE '%:incident:dfa\_%';
SELECT set_config('app.tenant_id', '', true);
