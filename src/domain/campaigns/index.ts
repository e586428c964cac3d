export { controlGroupSize, holdOut } from './control-group';
export { attributeOrders, reaches, type AttributionOrder, type AttributionTouch } from './attribution';
export {
  campaignFigures,
  returnOnInvestment,
  roundRatio,
  upliftOf,
  RESPONSE_KINDS,
  TOUCH_KINDS,
  type CampaignFigures,
  type GroupFigures,
  type ResultsInput,
  type TouchKind,
  type WaveFigures,
} from './results';
export { CAMPAIGN_KINDS, FROZEN_AFTER_LAUNCH, frozenChanges, type CampaignKind } from './rules';
