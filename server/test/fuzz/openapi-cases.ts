import crypto from 'node:crypto';

/**
 * Turns the app's own OpenAPI document into fuzz targets: one per route, each with a valid-looking baseline request
 * (real ids where the schema asks for a uuid) and the list of places a hostile value can go (path and query
 * parameters, every body field down to nested objects and array items, the whole body, a few headers).
 */

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
};

type Param = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema };
type Operation = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
export type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Where a hostile value goes. `path` is a JSON path inside the body (strings and array indexes). */
export type Slot =
  | { where: 'path'; name: string }
  | { where: 'query'; name: string; array: boolean }
  | { where: 'header'; name: string }
  | { where: 'body'; path: (string | number)[] }
  | { where: 'wholeBody' }
  /** no hostile value: the baseline with only the required query parameters (an unfiltered read) */
  | { where: 'plain' };

export type Route = {
  method: string;
  /** OpenAPI path, e.g. /api/v1/tickets/{id} */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  /** Query parameters the route requires (a plain read sends only these). */
  requiredQuery: string[];
  body: unknown;
  multipart: boolean;
  json: boolean;
  slots: Slot[];
};

/** Ids of real objects, chosen by the field or path they fill; falls back to a random uuid. */
export type IdSource = { forField: (name: string) => string | undefined; forPath: (path: string) => string | undefined };

let uniq = 0;

/**
 * Optional fields left out of the baseline (still fuzzed: their slot puts them back). A password makes the handler
 * hash it with argon2 (deliberately slow), which would cost the sweep half a minute for nothing; a made-up cursor
 * would make every other query parameter's case fail validation before the handler.
 */
const LEAVE_OUT = new Set(['password', 'cursor']);

/** A value the schema accepts (as far as this small generator knows), with optional properties filled too. */
export function sample(s: Schema, name: string, ids: IdSource, full = true): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return sample(branches.find((b) => b.type !== 'null') ?? branches[0]!, name, ids, full);
  if (s.allOf) {
    const merged: Record<string, unknown> = {};
    for (const part of s.allOf) Object.assign(merged, sample(part, name, ids, full) as object);
    return merged;
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!full && LEAVE_OUT.has(k) && !s.required?.includes(k)) continue;
        out[k] = sample(v, k, ids, full);
      }
      return out;
    }
    case 'array': return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items ?? {}, name, ids, full));
    case 'integer':
    case 'number': {
      if (name === 'lat') return 41.1;
      if (name === 'lng') return 121.1;
      if (name === 'year') return 2026;
      if (s.minimum !== undefined) return Math.max(s.minimum, Math.min(1, s.maximum ?? 1));
      return Math.min(1, s.maximum ?? 1);
    }
    case 'boolean': return false;
    case 'string': return sampleString(s, name, ids);
    default: return 'x';
  }
}

function sampleString(s: Schema, name: string, ids: IdSource): string {
  if (s.format === 'uuid') return ids.forField(name) ?? crypto.randomUUID();
  if (s.format === 'date-time') return new Date(Date.now() - 3600_000).toISOString();
  if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return name === 'to' ? '2026-11-30' : '2026-11-01';
  if (s.pattern === '^\\d{4}-\\d{2}$') return '2026-11';
  if (s.pattern === '^1\\d{10}$') return `139${String(10_000_000 + (++uniq % 89_999_999)).padStart(8, '0')}`;
  if (s.pattern?.startsWith('^[A-Za-z]')) return `fuzz${Date.now() % 100000}${++uniq}`;
  if (s.pattern === '^\\d{9}(\\d{3})?$') return ids.forField('areaCode') ?? '210000201';
  const override = ids.forField(name);
  if (override) return override;
  const len = Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 8, 8));
  return '测试内容'.repeat(3).slice(0, Math.max(len, 1)).padEnd(len, '字');
}

/** Every leaf and inner node of a JSON value, as paths. */
function bodyPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) {
    v.forEach((x, i) => { out.push([...prefix, i], ...bodyPaths(x, [...prefix, i])); });
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...bodyPaths(x, [...prefix, k]));
  }
  return out;
}

/** Routes of the document (the docs routes themselves excluded), with baselines and slots. */
export function routesOf(doc: OpenApi, ids: IdSource): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const pathParams: Record<string, string> = {};
      const query: Record<string, unknown> = {};
      const requiredQuery: string[] = [];
      const slots: Slot[] = [];
      for (const p of params) {
        if (p.in === 'path') {
          pathParams[p.name] = p.name === 'year' ? '2026' : (ids.forPath(path) ?? crypto.randomUUID());
          slots.push({ where: 'path', name: p.name });
        } else if (p.in === 'query') {
          if (!(LEAVE_OUT.has(p.name) && !p.required)) query[p.name] = sample(p.schema, p.name, ids);
          if (p.required) requiredQuery.push(p.name);
          slots.push({ where: 'query', name: p.name, array: p.schema.type === 'array' });
        }
      }
      const content = op.requestBody?.content ?? {};
      const multipart = 'multipart/form-data' in content;
      const jsonSchema = content['application/json']?.schema;
      const body = jsonSchema ? sample(jsonSchema, '', ids, false) : undefined;
      if (jsonSchema) {
        slots.push({ where: 'wholeBody' });
        for (const p of bodyPaths(sample(jsonSchema, '', ids, true))) slots.push({ where: 'body', path: p });
      }
      const upper = method.toUpperCase();
      if (upper !== 'GET') slots.push({ where: 'header', name: 'idempotency-key' });
      // Routes that take a file declare it in the summary (swagger drops `consumes` without a body schema).
      const takesFile = multipart || /multipart/.test((op as { summary?: string }).summary ?? '');
      routes.push({ method: upper, path, pathParams, query, requiredQuery, body, multipart: takesFile, json: !!jsonSchema, slots });
    }
  }
  return routes;
}

/** A JSON token written as is into the body text (JSON.stringify cannot produce 1e400). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type Built = { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer; query?: Record<string, string | string[]> };

function asParam(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/** Serialises a body, replacing RawJson markers by their raw text. */
export function jsonText(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_k, v) => {
    if (v instanceof RawJson) { raws.push(v.text); return `@@RAW${raws.length - 1}@@`; }
    return v;
  }) ?? '';
  return text.replace(/"@@RAW(\d+)@@"/g, (_m, i) => raws[Number(i)]!);
}

function setAt(root: unknown, path: (string | number)[], v: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = v;
  return copy;
}

/** The baseline request of a route with `value` put into `slot` (no slot: the baseline itself). */
export function build(route: Route, slot: Slot | null, value: unknown): Built {
  const pathParams = { ...route.pathParams };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(route.query)) {
    if (slot?.where === 'plain' && !route.requiredQuery.includes(k)) continue;
    query[k] = Array.isArray(v) ? v.map(asParam) : asParam(v);
  }
  const headers: Record<string, string> = {};
  let body: unknown = route.body;
  let payload: string | undefined;
  if (slot?.where === 'path') pathParams[slot.name] = asParam(value);
  if (slot?.where === 'query') query[slot.name] = Array.isArray(value) ? value.map(asParam) : asParam(value);
  if (slot?.where === 'header') headers[slot.name] = asParam(value);
  if (slot?.where === 'body') body = setAt(body, slot.path, value);
  if (slot?.where === 'wholeBody') body = value;
  if (route.json) {
    payload = jsonText(body);
    headers['content-type'] = 'application/json';
  }
  const url = route.path.replace(/\{(\w+)\}/g, (_m, n: string) => encodePath(pathParams[n] ?? ''));
  return { method: route.method, url, headers, payload, query };
}

/** encodeURIComponent, except that a lone surrogate goes out as its raw %-escape instead of throwing. */
function encodePath(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return v.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').split('%ED%A0%80').map(encodeURIComponent).join('%ED%A0%80');
  }
}

/** Short human label of a slot, for failure reports. */
export const slotLabel = (s: Slot | null) =>
  !s ? 'baseline' : s.where === 'plain' ? 'plain read' : s.where === 'body' ? `body/${s.path.join('/')}` : s.where === 'wholeBody' ? 'body' : `${s.where}:${s.name}`;
