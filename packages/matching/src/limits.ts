// Every bound the matching core relies on, named once. limits.test.ts checks how they relate to each
// other (for example that a price level's total can never lose integer precision).

/** Largest price in ticks: the workload format's bound, and what the fast book stores in an Int32Array. */
export const PRICE_TICKS_MAX = 2 ** 31 - 1;

/** Largest order quantity in lots: the workload format's bound, so a remaining quantity fits in 31 bits. */
export const QUANTITY_LOTS_MAX = 2 ** 31 - 1;

/** Order ids are assigned by the caller: positive safe integers. */
export const ORDER_ID_MAX = Number.MAX_SAFE_INTEGER;

/** Owner ids (accounts) are assigned by the caller: positive safe integers. */
export const OWNER_ID_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Largest notional in tick x lot units accepted for a cap, a quote budget or a minimum notional. Keeping it a
 * safe integer means every subtraction from a budget stays exact: a trade never spends more than what is left.
 */
export const NOTIONAL_MAX = Number.MAX_SAFE_INTEGER;

/** Basis points in one whole: 10,000 bps = 100%. */
export const BASIS_POINTS_PER_UNIT = 10_000;

/** A price band wider than 100% would allow non-positive prices below the last trade. */
export const PRICE_BAND_BPS_MAX = BASIS_POINTS_PER_UNIT;

/**
 * Live orders per book (resting plus pending stops). Chosen so that the total quantity of one price level,
 * held in a double, stays an exact integer even if every live order sits on one level at the largest quantity.
 */
export const ORDERS_PER_BOOK_MAX = 2 ** 22;

/** Largest number of levels one depth query returns. */
export const DEPTH_LEVELS_MAX = 5_000;

/** Digits accepted in a decimal string at the edge (before and after the point); bounds parsing work. */
export const DECIMAL_DIGITS_MAX = 36;

/** Sequence numbers order orders in time; they are counted in a double and must stay exact. */
export const SEQUENCE_MAX = Number.MAX_SAFE_INTEGER;
