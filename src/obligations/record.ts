/** Status changes of an obligation: submissions, decisions, waivers (four eyes), reopening. */
import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, label, labels, msg, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { obligationPolicy } from './generate.ts';
import type { Obligation, RecordDecisionInput, RecordSubmissionInput, Status, Submission } from './model.ts';
import { present } from './present.ts';
import * as store from './store.ts';

async function load(u: UnitOfWork, id: string) {
  const row = await store.getById(u.sql, u.tenantId, id, true);
  if (!row) throw notFound('obligation', id);
  return row;
}

const ACTIONS: Record<string, string> = { 'record a submission for': 'recordSubmission', reopen: 'reopen', 'request a waiver of': 'requestWaiver', waive: 'waive' };

function refuse(row: store.ObligationRow, action: string, allowed: Status[]): never {
  const decision = /^record "(\w+)" for$/.exec(action)?.[1];
  const act = decision ? msg('obligations.action.recordDecision', { decision }) : ACTIONS[action] ? msg(`obligations.action.${ACTIONS[action]}`) : action;
  throw new AppError('invalid_transition', msg('obligations.cannot', { action: act, status: label('obligations:status', row.status), allowed: labels('obligations:status', allowed) }),
    { details: { currentStatus: row.status, allowed } });
}

async function finish(u: UnitOfWork, before: store.ObligationRow, action: string, data: Record<string, unknown>, event?: { key: string; payload?: Record<string, unknown> }): Promise<Obligation> {
  const { policy } = await obligationPolicy(u.sql, u.tenantId);
  const row = (await store.getById(u.sql, u.tenantId, before.id))!;
  const subs = await store.submissionsOf(u.sql, u.tenantId, [row.id]);
  const after = present(row, u.now, policy, subs);
  await u.audit({ action, subjectType: 'obligation', subjectId: row.id, before: present(before, u.now, policy), after, data: { key: row.key, rule: row.rule, ...data } });
  if (event) {
    await u.emit({ type: action, subjectType: 'obligation', subjectId: row.id, idempotencyKey: event.key,
      payload: { obligation: { id: row.id, key: row.key, rule: row.rule, addressee: row.addressee, status: row.status, subjectType: row.subject_type, subjectId: row.subject_id }, ...event.payload } });
  }
  return after;
}

const SUBMITTABLE: Status[] = ['open', 'rejected', 'submitted'];

/** Records a submission to the addressee; open or rejected -> submitted (a further submission keeps it submitted). */
export async function recordSubmission(u: UnitOfWork, obligationId: string, input: RecordSubmissionInput): Promise<Obligation> {
  const row = await load(u, obligationId);
  if (!SUBMITTABLE.includes(row.status)) refuse(row, 'record a submission for', SUBMITTABLE);
  const sub: Submission = {
    id: newId('sub', u.now.getTime()), obligationId, addressee: row.addressee, channel: input.channel,
    submittedAt: new Date(input.submittedAt ?? u.now).toISOString(), reference: input.reference ?? null, packageSha256: input.packageSha256 ?? null,
    filingId: input.filingId ?? null, note: input.note ?? null, recordedBy: { id: u.actor.id, name: u.actor.name }, recordedAt: u.now.toISOString(),
  };
  if (new Date(sub.submittedAt) > new Date(u.now.getTime() + 5 * 60_000)) {
    throw new AppError('validation_failed', msg('obligations.submittedInFuture'), { errors: [fieldError('submittedAt', msg('obligations.submissionFuture'))] });
  }
  await store.insertSubmission(u.sql, u.tenantId, sub);
  if (row.status !== 'submitted') {
    const moved = await store.transition(u.sql, u.tenantId, row.id, ['open', 'rejected'], 'submitted', { reason: null }, u.now);
    if (!moved) refuse(row, 'record a submission for', SUBMITTABLE);
  }
  const late = row.due_at ? new Date(sub.submittedAt) > new Date(row.due_at) : false;
  return finish(u, row, 'obligation.submitted', { submission: sub, late }, { key: `obligation.submitted:${sub.id}`, payload: { submission: sub, late } });
}

export async function recordDecision(u: UnitOfWork, obligationId: string, input: RecordDecisionInput): Promise<Obligation> {
  const row = await load(u, obligationId);
  if (input.decision === 'rejected' && !input.reason) {
    throw new AppError('validation_failed', msg('schema.rejectionReason'), { errors: [fieldError('reason', msg('obligations.reasonRequired'))] });
  }
  const moved = await store.transition(u.sql, u.tenantId, row.id, ['submitted'], input.decision,
    { reason: input.reason ?? null, decisionReference: input.reference ?? null }, u.now);
  if (!moved) refuse(row, `record "${input.decision}" for`, ['submitted']);
  return finish(u, row, `obligation.${input.decision}`, { reason: input.reason ?? null, reference: input.reference ?? null },
    { key: `obligation.${input.decision}:${row.id}:${u.now.getTime()}` });
}

/** The regulator asked a question: the obligation is open again, with the question as its reason. */
export async function reopenObligation(u: UnitOfWork, obligationId: string, input: { question: string }): Promise<Obligation> {
  const row = await load(u, obligationId);
  const moved = await store.transition(u.sql, u.tenantId, row.id, ['submitted', 'accepted'], 'open', { reason: input.question }, u.now);
  if (!moved) refuse(row, 'reopen', ['submitted', 'accepted']);
  return finish(u, row, 'obligation.reopened', { question: input.question }, { key: `obligation.reopened:${row.id}:${u.now.getTime()}` });
}

/** First half of a waiver: one user asks, with a justification; the obligation stays open until a second user approves. */
export async function requestWaiver(u: UnitOfWork, obligationId: string, input: { justification: string }): Promise<Obligation> {
  const row = await load(u, obligationId);
  const request = { by: { id: u.actor.id, name: u.actor.name }, at: u.now.toISOString(), justification: input.justification };
  const moved = await store.setWaiverRequest(u.sql, u.tenantId, row.id, request, u.now);
  if (!moved) refuse(row, 'request a waiver of', ['open', 'rejected']);
  return finish(u, row, 'obligation.waiver_requested', { justification: input.justification });
}

export async function approveWaiver(u: UnitOfWork, obligationId: string): Promise<Obligation> {
  const row = await load(u, obligationId);
  const req = row.waiver_request;
  if (!req) throw new AppError('invalid_transition', msg('obligations.noWaiverRequested'), { details: { currentStatus: row.status } });
  if (req.by.id === u.actor.id) {
    throw new AppError('forbidden', msg('obligations.waiverSecondPerson'), { details: { requestedBy: req.by } });
  }
  const approved = { ...req, approvedBy: { id: u.actor.id, name: u.actor.name }, approvedAt: u.now.toISOString() };
  const moved = await store.transition(u.sql, u.tenantId, row.id, ['open', 'rejected'], 'waived', { reason: req.justification, waiverRequest: approved }, u.now);
  if (!moved) refuse(row, 'waive', ['open', 'rejected']);
  return finish(u, row, 'obligation.waived', { justification: req.justification, requestedBy: req.by, approvedBy: approved.approvedBy },
    { key: `obligation.waived:${row.id}` });
}

/** HTTP adapters: one transaction each. */
export const inTenant = <A extends unknown[], R>(fn: (u: UnitOfWork, ...a: A) => Promise<R>) =>
  (deps: Deps, actor: Actor, ...a: A): Promise<R> => unitOfWork(deps, actor, (u) => fn(u, ...a));
