/**
 * Docswell's upload limit is 100 MB per file: above it an upload fails, and well before it a
 * deck is usually carrying an unoptimised image. Sizes are reported for every PDF.
 */
export const WARN_BYTES = 50 * 1024 * 1024
export const MAX_BYTES = 100 * 1024 * 1024

export interface SizeVerdict { level: 'ok' | 'warn' | 'fail', message: string }

export function formatBytes(bytes: number): string {
  if (bytes < 1024)
    return `${bytes} B`
  if (bytes < 1024 * 1024)
    return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

export function checkSize(bytes: number, limits: { warn?: number, max?: number } = {}): SizeVerdict {
  const warn = limits.warn ?? WARN_BYTES
  const max = limits.max ?? MAX_BYTES
  if (bytes > max)
    return { level: 'fail', message: `${formatBytes(bytes)} is over Docswell's upload limit of ${formatBytes(max)}: shrink the images (the PDF was not written)` }
  if (bytes > warn)
    return { level: 'warn', message: `${formatBytes(bytes)} is over ${formatBytes(warn)}: consider shrinking the images` }
  return {
    level: 'ok',
    message: formatBytes(bytes),
  }
}
