import { useEffect, useRef } from 'react';
import Taro from '@tarojs/taro';
import { Canvas as TaroCanvas, View } from '@tarojs/components';
import { Axis, Canvas, Chart, Interval, Legend, Line, Point, TextGuide, jsx } from '@antv/f2';
import type { ChartSpec } from '../../../services/dashboard';
import { mapDomains } from '../lib/visit-map';
import './f2-chart.scss';

let seq = 0;

// F2's element factory, loosely typed: its generic component signatures do not fit one call site with plain props.
type Element = { type: unknown; props: Record<string, unknown> };
const h = jsx as unknown as (type: unknown, props: Record<string, unknown>) => Element;

/** The F2 element tree of one spec (built with F2's own `jsx`, not React's: F2 renders it onto the canvas). */
function chartTree(spec: ChartSpec, width: number, height: number) {
  if (spec.kind === 'map') {
    // No axes: the plot is the canvas less the theme's padding (30 design px each side, 18 px at px2hd 0.6), and the
    // domains give both axes the same kilometres per pixel, so distances between areas are drawn to scale.
    const d = mapDomains(spec.data, Math.max(width - 36, 1), Math.max(height - 36, 1));
    const max = Math.max(1, ...spec.data.map((p) => p.value));
    return h(Chart, {
      data: spec.data,
      scale: { x: { type: 'linear', ...d.x, nice: false }, y: { type: 'linear', ...d.y, nice: false }, value: { type: 'linear', min: 0, max } },
      children: [
        h(Point, { x: 'x', y: 'y', color: spec.colors[0], size: { field: 'value', range: [6, 26] }, style: { fillOpacity: 0.45, stroke: spec.colors[0], lineWidth: 1 } }),
        ...spec.data.map((p) => h(TextGuide, {
          records: [{ x: p.x, y: p.y }], content: `${p.label} ${p.value}次`, offsetY: 30,
          style: { fill: '#333', fontSize: 11, textAlign: 'center', textBaseline: 'top' },
        })),
      ],
    });
  }
  if (spec.kind === 'pie') {
    return h(Chart, {
      data: spec.data, coord: { type: 'polar', transposed: true, innerRadius: 0.5 }, scale: {},
      children: [
        h(Interval, { x: 'group', y: 'value', adjust: 'stack', color: { field: 'label', range: spec.colors } }),
        h(Legend, { position: 'right' }),
      ],
    });
  }
  if (spec.kind === 'bar') {
    return h(Chart, {
      data: spec.data, coord: spec.horizontal ? { transposed: true } : undefined,
      children: [
        h(Axis, { field: 'label' }),
        h(Axis, { field: 'value', tickCount: 4 }),
        h(Interval, { x: 'label', y: 'value', color: spec.colors?.[0] ?? '#fa2c19' }),
      ],
    });
  }
  return h(Chart, {
    data: spec.data,
    children: [
      h(Axis, { field: 'label' }),
      h(Axis, { field: 'value', tickCount: 4 }),
      h(Line, { x: 'label', y: 'value', color: { field: 'series', range: spec.colors } }),
      h(Point, { x: 'label', y: 'value', color: { field: 'series', range: spec.colors } }),
      h(Legend, { position: 'top' }),
    ],
  });
}

/**
 * One AntV F2 chart on a Canvas 2D, the same code in the WeChat build (the canvas node from a selector query)
 * and in H5 (the <canvas> element Taro renders). Lives in the dashboard subpackage so F2's weight stays out of
 * the main package.
 */
export function F2Chart({ spec, height = 220, label }: { spec: ChartSpec; height?: number; label: string }) {
  const id = useRef(`f2-chart-${++seq}`).current;
  const chart = useRef<{ destroy: () => void } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const draw = (canvasEl: { width: number; height: number; getContext: (k: '2d') => unknown }, width: number, hh: number, extra: Record<string, unknown> = {}) => {
      if (cancelled) return;
      const dpr = Taro.getSystemInfoSync().pixelRatio || 1;
      canvasEl.width = Math.round(width * dpr);
      canvasEl.height = Math.round(hh * dpr);
      const context = canvasEl.getContext('2d');
      chart.current?.destroy();
      // px2hd: F2's theme sizes are written for a 750-wide design; 0.6 gives 12 px labels on a phone and the desk alike.
      const { props } = h(Canvas, { context, pixelRatio: dpr, width, height: hh, animate: false, px2hd: (v: number) => v * 0.6, ...extra, children: chartTree(spec, width, hh) });
      const c = new Canvas(props as never) as unknown as { render: () => Promise<void> | void; destroy: () => void };
      chart.current = c;
      void c.render();
    };
    if (process.env.TARO_ENV === 'h5') {
      // Taro's <Canvas> is a web component whose inner <canvas> appears after React's effect, and a page sliding
      // in may not be laid out yet: wait (briefly) for both.
      let tries = 0;
      const attempt = () => {
        if (cancelled) return;
        const host = document.getElementById(id);
        const el = (host?.tagName === 'CANVAS' ? host : host?.querySelector('canvas')) as HTMLCanvasElement | null;
        const width = host ? host.getBoundingClientRect().width : 0;
        if ((!el || width === 0) && tries++ < 60) {
          setTimeout(attempt, 50);
          return;
        }
        if (!el) return;
        el.style.width = `${width || 320}px`;
        el.style.height = `${height}px`;
        draw(el, width || 320, height);
      };
      attempt();
    } else {
      Taro.nextTick(() => {
        Taro.createSelectorQuery().select(`#${id}`).fields({ node: true, size: true }).exec((res) => {
          const n = res?.[0] as { node: { width: number; height: number; getContext: (k: '2d') => unknown; createImage: () => unknown; requestAnimationFrame: unknown; cancelAnimationFrame: unknown }; width: number; height: number } | undefined;
          if (!n?.node) return;
          draw(n.node, n.width, n.height, { createImage: () => n.node.createImage() });
        });
      });
    }
    return () => {
      cancelled = true;
    };
  }, [id, spec, height]);

  useEffect(() => () => chart.current?.destroy(), []);

  return (
    <View className="f2-chart" aria-label={label}>
      <TaroCanvas type="2d" id={id} canvasId={id} className="f2-chart__canvas" style={{ width: '100%', height: `${height}px` }} />
    </View>
  );
}
