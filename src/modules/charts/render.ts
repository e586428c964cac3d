import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { Resvg } from '@resvg/resvg-js';
import type { Language } from '../../http/messages/catalogue';
import { chartOption, type ChartSources } from './data';
import type { ChartName, ChartParams } from './names';
import { FONT_FAMILY, HEIGHT, WIDTH } from './specs/base';

/**
 * Noto Sans SC (SIL Open Font License), regular weight, from @expo-google-fonts/noto-sans-sc:
 * a TTF, which resvg reads (it reads no WOFF2), covering Latin and simplified Chinese. The
 * PNG renderer loads only this font, never the system's, so a PNG looks the same everywhere.
 */
export const CJK_FONT_FILE =
  require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** An ECharts option as an 800x500 SVG document, rendered server-side without a DOM. */
export function optionToSvg(option: EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** An SVG document as a PNG of the same size, text in the shipped CJK font. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { fontFiles: [CJK_FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/**
 * Renders the named charts; the report page inlines `renderChartSvg`'s output. Reading the
 * figures may throw the same problems the JSON reports do (no_analytics_run, invalid_range).
 */
export class ChartRenderer {
  constructor(private readonly sources: ChartSources) {}

  async renderChartSvg(name: ChartName, params: ChartParams, language: Language): Promise<string> {
    return optionToSvg(await chartOption(this.sources, name, params, language));
  }

  async renderChartPng(name: ChartName, params: ChartParams, language: Language): Promise<Buffer> {
    return svgToPng(await this.renderChartSvg(name, params, language));
  }
}
