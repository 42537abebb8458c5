// Named bounds for the database client and the embedded server (STYLE.md: limits are named constants).

/** Pool size for a real PostgreSQL server when neither the caller nor the URL's `?max=` says otherwise. */
export const poolConnectionsDefault = 10;
/** Seconds an idle pooled connection stays open. */
export const poolIdleTimeoutSeconds = 30;
/** Seconds to wait for a connection before failing. */
export const connectTimeoutSeconds = 10;
/** Seconds `close()` lets running queries finish before cutting connections. */
export const closeTimeoutSeconds = 5;

/** Seconds the test helper waits for the local PostgreSQL before falling back to PGlite. */
export const testProbeTimeoutSeconds = 2;

/**
 * Most simultaneous client connections the embedded server accepts. They share PGlite's one backend, one command
 * cycle or transaction at a time, so more connections add no throughput; this only bounds memory.
 */
export const embeddedConnectionsMax = 64;
/** Largest single protocol message a client may send to the embedded server (PostgreSQL's own limit is 1 GiB). */
export const embeddedClientMessageBytesMax = 64 * 1024 * 1024;
/** Largest startup packet, as in PostgreSQL (MAX_STARTUP_PACKET_LENGTH). */
export const embeddedStartupPacketBytesMax = 10_000;
