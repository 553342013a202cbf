export * from './common';
export * from './auth';
export * from './org';
export * from './tickets';
export * from './visits';
export * from './platform';
export * from './projects';
export * from './city';
