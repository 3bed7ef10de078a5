import { createElement, useState, type ReactNode } from 'react';
import {
  QueryCache,
  QueryClient,
  QueryClientProvider,
  useMutation,
  useQuery,
  useQueryClient,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { currentLocale } from './i18n.ts';

/** One field-level problem, as the API reports it in `errors`. */
export type FieldError = { path: string; message: string; line?: number };

/** An RFC 9457 problem from the API (application/problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: FieldError[];
  /** The whole problem body: extra members such as `missing` (gate refusals) live here. */
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body.title === 'string' ? body.title : `HTTP ${status}`;
    const detail = typeof body.detail === 'string' ? body.detail : title;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.title = title;
    this.detail = detail;
    this.code = typeof body.code === 'string' ? body.code : status === 0 ? 'network_error' : `http_${status}`;
    this.type = typeof body.type === 'string' ? body.type : 'about:blank';
    this.errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
  }
  /** The message for one field path (`name.en`, `values.<key>`), if the API named it. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

export const isApiError = (e: unknown, status?: number): e is ApiError =>
  e instanceof ApiError && (status === undefined || e.status === status);

type Query = Record<string, string | number | boolean | undefined | null>;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Objects are sent as JSON; strings, Blobs and FormData as they are (set the content type in headers). */
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/** `withQuery('/api/v1/audit', { limit: 10, actor: undefined })` -> `/api/v1/audit?limit=10`. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** Calls the API with the session cookie; resolves to the parsed body, rejects with ApiError. */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLocale(), ...options.headers };
  let body: BodyInit | undefined;
  const b = options.body;
  if (b === undefined || b === null) body = undefined;
  else if (typeof b === 'string' || b instanceof Blob || b instanceof FormData || b instanceof ArrayBuffer) body = b;
  else {
    body = JSON.stringify(b);
    headers['content-type'] ??= 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: (e as Error).message, code: 'network_error' });
  }
  const parsed = await readBody(res);
  if (!res.ok) {
    const problem = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { detail: String(parsed ?? res.statusText) };
    throw new ApiError(res.status, { title: res.statusText, ...problem });
  }
  return parsed as T;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (text === '') return undefined;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

api.get = <T,>(path: string, query?: Query, signal?: AbortSignal) => api<T>(path, { query, signal });
api.post = <T,>(path: string, body?: unknown, headers?: Record<string, string>) => api<T>(path, { method: 'POST', body: body ?? {}, headers });
api.put = <T,>(path: string, body?: unknown) => api<T>(path, { method: 'PUT', body: body ?? {} });
api.patch = <T,>(path: string, body?: unknown) => api<T>(path, { method: 'PATCH', body: body ?? {} });
api.delete = <T,>(path: string) => api<T>(path, { method: 'DELETE' });

/** Query keys are `['api', path-with-query]`, so invalidating by path prefix is easy. */
export const apiKey = (path: string, query?: Query) => ['api', withQuery(path, query)] as const;

export const ME_PATH = '/api/v1/me';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A 401 anywhere means the session ended: re-ask /me, which brings back the login page.
      onError: (error, query) => {
        if (isApiError(error, 401) && query.queryKey[1] !== ME_PATH) void client.invalidateQueries({ queryKey: apiKey(ME_PATH) });
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}

/** Wraps the app so `useApiQuery` and `useApiMutation` work. */
export function ApiProvider({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [own] = useState(() => client ?? createQueryClient());
  return createElement(QueryClientProvider, { client: own }, children);
}

/** GET `path` through react-query. Pass `null` as path to wait (dependent queries). */
export function useApiQuery<T>(path: string | null, query?: Query, options: Omit<UseQueryOptions<T, ApiError>, 'queryKey' | 'queryFn'> = {}) {
  return useQuery<T, ApiError>({
    ...options,
    queryKey: path ? apiKey(path, query) : ['api', 'disabled'],
    queryFn: ({ signal }) => api<T>(path!, { query, signal }),
    enabled: path !== null && (options.enabled ?? true),
  });
}

/**
 * A write call. `invalidate` lists path prefixes whose cached GETs are refetched on success
 * (e.g. `['/api/v1/products']` refreshes the list and every product).
 */
export function useApiMutation<TVars = unknown, TResult = unknown>(
  request: (vars: TVars) => { path: string } & RequestOptions,
  options: { invalidate?: string[]; onSuccess?: (result: TResult, vars: TVars) => void } = {},
) {
  const client = useQueryClient();
  return useMutation<TResult, ApiError, TVars>({
    mutationFn: (vars) => {
      const { path, ...rest } = request(vars);
      return api<TResult>(path, { method: rest.method ?? 'POST', ...rest });
    },
    onSuccess: async (result, vars) => {
      await invalidateApi(client, options.invalidate ?? []);
      options.onSuccess?.(result, vars);
    },
  });
}

export function invalidateApi(client: QueryClient, prefixes: string[]): Promise<void> {
  if (prefixes.length === 0) return Promise.resolve();
  return client.invalidateQueries({
    predicate: (q) => q.queryKey[0] === 'api' && prefixes.some((p) => String(q.queryKey[1]).startsWith(p)),
  });
}
