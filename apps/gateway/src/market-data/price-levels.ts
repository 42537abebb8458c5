// One side of a mirrored order book: price levels (ticks -> total lots) kept sorted best first in an AVL tree, so
// a level change costs O(log n) and the best N levels are an in-order walk of N steps. Bids sort by descending
// price, asks by ascending; the tree orders by a key that is the price (asks) or its negation (bids).

interface Node {
  key: number;
  lots: number;
  left: Node | null;
  right: Node | null;
  height: number;
}

const heightOf = (node: Node | null): number => (node === null ? 0 : node.height);

const update = (node: Node): void => {
  const left = heightOf(node.left);
  const right = heightOf(node.right);
  node.height = (left > right ? left : right) + 1;
};

function rotateRight(node: Node): Node {
  const pivot = node.left!;
  node.left = pivot.right;
  pivot.right = node;
  update(node);
  update(pivot);
  return pivot;
}

function rotateLeft(node: Node): Node {
  const pivot = node.right!;
  node.right = pivot.left;
  pivot.left = node;
  update(node);
  update(pivot);
  return pivot;
}

function balance(node: Node): Node {
  update(node);
  const factor = heightOf(node.left) - heightOf(node.right);
  if (factor > 1) {
    if (heightOf(node.left!.left) < heightOf(node.left!.right)) node.left = rotateLeft(node.left!);
    return rotateRight(node);
  }
  if (factor < -1) {
    if (heightOf(node.right!.right) < heightOf(node.right!.left)) node.right = rotateRight(node.right!);
    return rotateLeft(node);
  }
  return node;
}

function insert(node: Node | null, key: number, lots: number): Node {
  if (node === null) return { key, lots, left: null, right: null, height: 1 };
  if (key < node.key) node.left = insert(node.left, key, lots);
  else node.right = insert(node.right, key, lots);
  return balance(node);
}

function removeMin(node: Node): Node | null {
  if (node.left === null) return node.right;
  node.left = removeMin(node.left);
  return balance(node);
}

function remove(node: Node | null, key: number): Node | null {
  if (node === null) return null;
  if (key < node.key) node.left = remove(node.left, key);
  else if (key > node.key) node.right = remove(node.right, key);
  else {
    if (node.left === null) return node.right;
    if (node.right === null) return node.left;
    let successor = node.right;
    while (successor.left !== null) successor = successor.left;
    successor.right = removeMin(node.right);
    successor.left = node.left;
    return balance(successor);
  }
  return balance(node);
}

export interface Level {
  priceTicks: number;
  quantityLots: number;
}

export class PriceLevels {
  private root: Node | null = null;
  private count = 0;
  private readonly sign: 1 | -1;

  /** `descending`: best is the highest price (bids). */
  constructor(readonly descending: boolean) {
    this.sign = descending ? -1 : 1;
  }

  get size(): number {
    return this.count;
  }

  /** Total lots at a price, 0 when the level is absent. */
  get(priceTicks: number): number {
    const key = this.sign * priceTicks;
    let node = this.root;
    while (node !== null) {
      if (key === node.key) return node.lots;
      node = key < node.key ? node.left : node.right;
    }
    return 0;
  }

  /** Sets a level's total; 0 removes it (removing an absent level is a no-op, as Binance's procedure allows). */
  set(priceTicks: number, quantityLots: number): void {
    if (!(
      Number.isSafeInteger(priceTicks) &&
      priceTicks > 0 &&
      Number.isSafeInteger(quantityLots) &&
      quantityLots >= 0
    )) {
      throw new Error(`price levels: bad level ${priceTicks} x ${quantityLots}`);
    }
    const key = this.sign * priceTicks;
    let node = this.root;
    while (node !== null && node.key !== key) node = key < node.key ? node.left : node.right;
    if (node !== null) {
      if (quantityLots > 0) {
        node.lots = quantityLots;
        return;
      }
      this.root = remove(this.root, key);
      this.count -= 1;
      return;
    }
    if (quantityLots === 0) return;
    this.root = insert(this.root, key, quantityLots);
    this.count += 1;
  }

  best(): Level | undefined {
    let node = this.root;
    if (node === null) return undefined;
    while (node.left !== null) node = node.left;
    return { priceTicks: this.sign * node.key, quantityLots: node.lots };
  }

  /** Calls `visit` for up to `limit` levels, best first. */
  forEachBest(limit: number, visit: (priceTicks: number, quantityLots: number) => void): void {
    const stack: Node[] = [];
    let node = this.root;
    let seen = 0;
    while (seen < limit && (node !== null || stack.length > 0)) {
      while (node !== null) {
        stack.push(node);
        node = node.left;
      }
      const next = stack.pop()!;
      visit(this.sign * next.key, next.lots);
      seen += 1;
      node = next.right;
    }
  }

  /** Up to `limit` levels, best first. */
  top(limit: number): Level[] {
    const out: Level[] = [];
    this.forEachBest(limit, (priceTicks, quantityLots) => out.push({ priceTicks, quantityLots }));
    return out;
  }

  clear(): void {
    this.root = null;
    this.count = 0;
  }

  /** Checks the AVL invariants and the order (tests). */
  validate(): void {
    let count = 0;
    const check = (node: Node | null, low: number, high: number): number => {
      if (node === null) return 0;
      if (!(node.key > low && node.key < high)) throw new Error('price levels: order broken');
      if (!(node.lots > 0)) throw new Error('price levels: empty level kept');
      count += 1;
      const left = check(node.left, low, node.key);
      const right = check(node.right, node.key, high);
      if (Math.abs(left - right) > 1) throw new Error('price levels: unbalanced');
      if (node.height !== Math.max(left, right) + 1) throw new Error('price levels: stale height');
      return node.height;
    };
    check(this.root, -Infinity, Infinity);
    if (count !== this.count) throw new Error(`price levels: count ${this.count} but ${count} nodes`);
  }
}
