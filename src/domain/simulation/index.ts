export { seededRandom, type RandomSource } from './seeded-random';
export {
  sampleBeta,
  sampleExponential,
  sampleGamma,
  sampleLogGamma,
  sampleStandardNormal,
} from './random-distributions';
export {
  simulateBtydCustomers,
  type BtydSimulationOptions,
  type SimulatedCustomer,
  type SimulatedTransaction,
} from './btyd-simulator';
