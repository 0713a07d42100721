type TypedArray = Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

/** A typed array that doubles its capacity as values are pushed. */
export class Growable<T extends TypedArray> {
  #make: TypedArrayConstructor<T>;
  #data: T;
  length = 0;

  constructor(make: TypedArrayConstructor<T>, capacity = 1024) {
    this.#make = make;
    this.#data = new make(capacity);
  }

  /** The backing array; valid up to `length`, and replaced when the array grows. */
  get data(): T {
    return this.#data;
  }

  push(value: number): void {
    if (this.length === this.#data.length) this.#grow();
    this.#data[this.length++] = value;
  }

  #grow(): void {
    const next = new this.#make(this.#data.length * 2);
    next.set(this.#data);
    this.#data = next;
  }
}
