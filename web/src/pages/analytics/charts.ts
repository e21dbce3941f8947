/**
 * Charts with Chart.js (a maintained canvas charting library, bundled by scripts/buildWeb.cjs).
 * Only the parts used are registered, so the bundle stays small. Every chart has its figures
 * in a table beside it too (screen readers, phones, tests).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { h } from '../../core/dom';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export const COLOURS = { blue: '#2563eb', green: '#16a34a', amber: '#d97706', grey: '#94a3b8', red: '#dc2626' };

/** A line/bar chart in a box of its own; returns the box and a function that ends the chart. */
export function chart(id: string, label: string, labels: string[], datasets: Array<ChartDataset<'line' | 'bar', Array<number | null>>>): { box: HTMLElement; destroy: () => void } {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const box = h('div', { class: 'chart-box', id }, canvas);
  const instance = new Chart(canvas, {
    type: 'line',
    data: { labels, datasets: datasets as ChartDataset<'line', Array<number | null>>[] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true } },
    },
  });
  box.dataset.ready = 'true';
  return { box, destroy: () => instance.destroy() };
}
