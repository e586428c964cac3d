import type { EChartsOption } from 'echarts';

/** The one font family the charts name: the CJK TTF the PNG renderer loads (render.ts). */
export const FONT_FAMILY = 'Noto Sans SC';

export const WIDTH = 800;
export const HEIGHT = 500;

/**
 * What every chart shares: a white background (a PNG in a dark mail client stays readable),
 * no animation (a server renders one frame), the title and its subtitle on top, the legend at
 * the bottom, and room for axis names.
 */
export function baseOption(title: string, subtitle: string): EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
    title: {
      text: title,
      subtext: subtitle,
      left: 'center',
      top: 8,
      textStyle: { fontSize: 17, fontFamily: FONT_FAMILY },
      subtextStyle: { fontSize: 11, fontFamily: FONT_FAMILY, width: WIDTH - 40, overflow: 'break' },
    },
    legend: { bottom: 8, left: 'center' },
    grid: { left: 80, right: 80, top: 90, bottom: 85, containLabel: false },
  };
}

/** 0.1234 -> "12.3%". */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** Money as the axis and labels show it: grouped, no decimals past 1,000. */
export function money(value: number): string {
  const digits = Math.abs(value) >= 1000 ? 0 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}
