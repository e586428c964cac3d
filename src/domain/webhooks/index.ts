export * from './signature';
export * from './retry-schedule';
export * from './address-policy';
export * from './payload';
