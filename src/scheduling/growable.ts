type TypedArray = Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** A typed array that doubles its capacity as values are pushed. */
export interface Growable<T extends TypedArray> {
  /** The backing array; valid up to `length`, and replaced when the array grows. */
  readonly data: T;
  readonly length: number;
  push(value: number): void;
}

/**
 * Returns a class of growable arrays of one element type. Each element type gets its own class,
 * so `push` sees a single array kind and V8 keeps it fast; one generic class made every push
 * site polymorphic and cost about two seconds per million contacts.
 */
function growableOf<T extends TypedArray>(make: { new (length: number): T }) {
  return class implements Growable<T> {
    data: T = new make(1024);
    length = 0;

    push(value: number): void {
      if (this.length === this.data.length) {
        const next = new make(this.data.length * 2);
        next.set(this.data as never);
        this.data = next;
      }
      this.data[this.length++] = value;
    }
  };
}

export const GrowableInt32 = growableOf(Int32Array);
export const GrowableUint8 = growableOf(Uint8Array);
export const GrowableUint16 = growableOf(Uint16Array);
export const GrowableUint32 = growableOf(Uint32Array);
export const GrowableFloat64 = growableOf(Float64Array);
