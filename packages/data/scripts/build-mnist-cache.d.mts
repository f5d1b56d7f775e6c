/** The `src/digits` folder of the installed `mnist` package. */
export function mnistDigitsDir(): string;
/** Reads digits/0.json … 9.json; returns the uncompressed asset and the digits per class. */
export function convertMnistDigits(digitsDir?: string): { bytes: Uint8Array; counts: number[] };
