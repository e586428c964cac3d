export * from './tiers';
export * from './periods';
export * from './regions';
export * from './accrual';
