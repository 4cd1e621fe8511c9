// The SVG latency chart of bench/REPORT.md (bench/results/latency.svg). A pure function.
import { OPERATIONS, operationLabel } from "./budgets.ts";
import type { LatencyRow } from "./latency.ts";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Horizontal bars of p50 per todo operation and token refresh, edge way and common way side by side,
 * each with a whisker to p95 and a dashed tick at its round-trip floor.
 */
export function renderLatencySvg(rows: readonly LatencyRow[]): string {
  const shown = rows
    .filter((r) => OPERATIONS.find((op) => op.id === r.op)?.todo || r.op === "tokenRefresh")
    .sort(
      (a, b) =>
        OPERATIONS.findIndex((op) => op.id === a.op) * 2 +
        (a.variant === "jwt" ? 0 : 1) -
        (OPERATIONS.findIndex((op) => op.id === b.op) * 2 + (b.variant === "jwt" ? 0 : 1)),
    );
  const barH = 16;
  const gap = 6;
  const left = 210;
  const plotW = 460;
  const top = 58;
  const height = top + shown.length * (barH + gap) + 50;
  const width = left + plotW + 40;
  const maxMs = Math.max(
    1,
    ...shown.map((r) => r.load.latency.p95Ms).filter(Number.isFinite),
    ...shown.map((r) => r.floorMs ?? 0),
  );
  const step = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((s) => maxMs / s <= 8) ?? 2000;
  const axisMax = Math.ceil(maxMs / step) * step;
  const x = (ms: number) => left + (Math.min(ms, axisMax) / axisMax) * plotW;
  const color = { jwt: "#2f7ed8", session: "#e8743b" } as const;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="600">p50 latency (bar), p95 (whisker), round-trip floor (dashed line)</text>`,
  ];
  for (let ms = 0; ms <= axisMax; ms += step) {
    parts.push(`<line x1="${x(ms)}" y1="${top - 6}" x2="${x(ms)}" y2="${height - 40}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(ms)}" y="${height - 26}" text-anchor="middle" fill="#555">${ms}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#555">ms</text>`);
  shown.forEach((row, i) => {
    const y = top + i * (barH + gap);
    const { p50Ms, p95Ms } = row.load.latency;
    const label = `${operationLabel(row.op).replace(/ \(.*\)$/, "")} — ${row.variant === "jwt" ? "edge" : "common"}`;
    parts.push(`<text x="${left - 8}" y="${y + barH - 4}" text-anchor="end">${escapeXml(label)}</text>`);
    if (Number.isFinite(p50Ms)) {
      parts.push(
        `<rect class="bar" x="${left}" y="${y}" width="${(x(p50Ms) - left).toFixed(1)}" height="${barH}" fill="${color[row.variant]}"><title>${escapeXml(`${label}: p50 ${p50Ms.toFixed(1)} ms, p95 ${p95Ms.toFixed(1)} ms`)}</title></rect>`,
      );
      parts.push(
        `<line x1="${x(p50Ms).toFixed(1)}" y1="${y + barH / 2}" x2="${x(p95Ms).toFixed(1)}" y2="${y + barH / 2}" stroke="#333"/>`,
      );
      parts.push(
        `<line x1="${x(p95Ms).toFixed(1)}" y1="${y + 3}" x2="${x(p95Ms).toFixed(1)}" y2="${y + barH - 3}" stroke="#333"/>`,
      );
    }
    if (row.floorMs !== null) {
      parts.push(
        `<line x1="${x(row.floorMs).toFixed(1)}" y1="${y - 2}" x2="${x(row.floorMs).toFixed(1)}" y2="${y + barH + 2}" stroke="#000" stroke-dasharray="3,2"/>`,
      );
    }
  });
  parts.push(
    `<rect x="${left}" y="28" width="10" height="10" fill="${color.jwt}"/><text x="${left + 14}" y="37">edge way (access JWT)</text>`,
    `<rect x="${left + 170}" y="28" width="10" height="10" fill="${color.session}"/><text x="${left + 184}" y="37">common way (getSession per request)</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
