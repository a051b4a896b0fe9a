/**
 * Saving a chart: the SVG serialised as it is on screen (colours are attributes, not CSS,
 * so the file stands alone), or a PNG drawn from that SVG through an <img> on a blob: URL
 * (the CSP's img-src allows blob:) onto a canvas at twice the size.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The SVG as a standalone document: namespace, size, white background, system fonts. */
export function serializeSvg(svg: SVGSVGElement, title?: string): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const band = title ? 26 : 0;
  const height = Math.max(1, Math.round(box.height)) + band;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  if (title) {
    // The chart's title above it, so a picture pasted into a report says what it shows.
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('transform', `translate(0,${band})`);
    while (clone.firstChild) g.appendChild(clone.firstChild);
    clone.appendChild(g);
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '8');
    t.setAttribute('y', '17');
    t.setAttribute('font-size', '13');
    t.setAttribute('font-weight', '600');
    t.setAttribute('fill', '#1b1f24');
    t.textContent = title;
    clone.appendChild(t);
  }
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('font-family', 'system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, Arial, sans-serif');
  // Interaction layers (brush handles, hover rules) are not part of the picture.
  clone.querySelectorAll('[data-export="skip"]').forEach((n) => n.remove());
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** Offers a blob as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function svgBlob(svg: SVGSVGElement, title?: string): Blob {
  return new Blob([serializeSvg(svg, title).text], { type: 'image/svg+xml;charset=utf-8' });
}

/** Renders the SVG to a PNG blob (scale 2 for a crisp picture in reports). */
export function pngBlob(svg: SVGSVGElement, title?: string, scale = 2): Promise<Blob> {
  const { text, width, height } = serializeSvg(svg, title);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  return new Promise<Blob>((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = width * scale;
        canvas.height = height * scale;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2D canvas');
        ctx.scale(scale, scale);
        ctx.drawImage(img, 0, 0, width, height);
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas produced no PNG'))), 'image/png');
      } catch (e) {
        reject(e as Error);
      } finally {
        URL.revokeObjectURL(url);
      }
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the chart could not be drawn as an image'));
    };
    img.src = url;
  });
}

/** A file name from a chart title: "Traffic over time" -> "traffic-over-time". */
export function fileStem(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
}
