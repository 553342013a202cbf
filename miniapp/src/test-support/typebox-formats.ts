import { FormatRegistry } from '@sinclair/typebox';

/**
 * The string formats the server's validator (ajv-formats) knows, for `Value.Check` in unit tests that hold a
 * mini-app request body against the shared schema. TypeBox knows no formats by itself.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
