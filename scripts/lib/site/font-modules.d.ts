// subset-font ships no types; these cover the options the site build uses (see its README).
declare module 'subset-font' {
  interface SubsetFontOptions {
    targetFormat?: 'sfnt' | 'woff' | 'woff2' | 'truetype'
    preserveNameIds?: number[]
    noLayoutClosure?: boolean
    noHinting?: boolean
    dropTables?: string[]
  }
  export default function subsetFont(font: Buffer | Uint8Array, text: string, options?: SubsetFontOptions): Promise<Buffer>
}

// fontverter ships no types either; convert() is all the build uses.
declare module 'fontverter' {
  export function convert(font: Buffer | Uint8Array, toFormat: 'sfnt' | 'truetype' | 'woff' | 'woff2', fromFormat?: string): Promise<Buffer>
  export function detectFormat(font: Buffer | Uint8Array): 'sfnt' | 'woff' | 'woff2'
}
