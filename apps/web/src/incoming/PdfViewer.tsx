import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useIncomingText } from './texts';

GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * Shows a PDF inside the page with pdf.js, page by page at the width available: the same on a
 * phone as on a desk, without relying on the browser having a PDF plug-in.
 */
export function PdfViewer({ url }: { url: string }) {
  const { tx } = useIncomingText();
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const task = getDocument({ url, withCredentials: true });
    let current: PDFDocumentProxy | null = null;
    setPdf(null);
    setPage(1);
    setFailed(false);
    task.promise.then(
      (doc) => {
        current = doc;
        setPdf(doc);
      },
      () => setFailed(true),
    );
    return () => {
      void task.destroy();
      void current?.destroy();
    };
  }, [url]);

  useEffect(() => {
    if (!pdf || !canvas.current || !box.current) return;
    let cancelled = false;
    let render: { cancel(): void } | null = null;
    void pdf.getPage(page).then((p) => {
      if (cancelled || !canvas.current || !box.current) return;
      const width = box.current.clientWidth || 600;
      const unscaled = p.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = p.getViewport({ scale: (width / unscaled.width) * ratio });
      const c = canvas.current;
      c.width = viewport.width;
      c.height = viewport.height;
      c.style.width = `${viewport.width / ratio}px`;
      c.style.height = `${viewport.height / ratio}px`;
      const task = p.render({ canvas: c, viewport });
      render = task;
      task.promise.catch(() => undefined);
    });
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [pdf, page]);

  if (failed) return <Alert type="error" message={tx('viewerError')} />;
  return (
    <div ref={box} style={{ width: '100%' }} data-testid="pdf-viewer">
      {!pdf && <Spin />}
      {pdf && pdf.numPages > 1 && (
        <Space style={{ marginBottom: 8 }}>
          <Button size="small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ‹
          </Button>
          <Typography.Text>{tx('viewerPage', { page, pages: pdf.numPages })}</Typography.Text>
          <Button size="small" disabled={page >= pdf.numPages} onClick={() => setPage(page + 1)}>
            ›
          </Button>
        </Space>
      )}
      <canvas ref={canvas} style={{ border: '1px solid #eee', maxWidth: '100%' }} data-pdf-page={pdf ? page : undefined} />
    </div>
  );
}
