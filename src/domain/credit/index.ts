/** Credit evaluation (docs/domain.md section 1): score, grade and suggested limit from receivables. */
export {
  evaluateCredit,
  gradeOf,
  overdueAgePoints,
  pushesPastLimit,
  type CreditEvaluation,
  type CreditFactors,
  type CreditGrade,
} from './credit-evaluation';
