import { Kind, Type, TypeRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Uuid } from './common';

/**
 * Schema builders the resource schemas share (not exported from the package: they build schemas, they are none).
 * `lit`: a string enum as one `enum` schema (cheap for ajv and fast-json-stringify) typed as the union of its values.
 */
export const lit = <T extends readonly string[]>(xs: T, description?: string) =>
  Type.Unsafe<T[number]>({ [Kind]: 'StringEnum', type: 'string', enum: [...xs], ...(description ? { description } : {}) });
// TypeBox's own checker (Value.Check, used by the mini-app's tests) learns the kind; ajv reads `enum`.
if (!TypeRegistry.Has('StringEnum'))
  TypeRegistry.Set<{ enum: string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));
/** Nullable in responses (OpenAPI `nullable`, cheap for fast-json-stringify). */
export const Maybe = <T extends TSchema>(t: T) => Type.Unsafe<Static<T> | null>({ ...t, nullable: true });
/** A referenced row: its id and name. */
export const Ref = Type.Object({ id: Uuid, name: Type.String() });
