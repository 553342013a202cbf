export * from './errors';
export * from './roles';
export * from './schemas';
export * from './enterprise/credit-code';
export * from './org/division-code';
export * from './geo/coords';
export * from './ticket/routing';
export * from './ticket/similarity';
