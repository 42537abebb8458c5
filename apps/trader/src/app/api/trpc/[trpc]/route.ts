// The account API (tRPC, @exbox/api's traderRouter): same origin as the pages, session in an HttpOnly cookie.
import { accountBackend } from '../../../../server/accounts';

export const dynamic = 'force-dynamic';

async function handler(request: Request): Promise<Response> {
  try {
    return await (await accountBackend()).handle(request);
  } catch (error) {
    console.error('[trpc] the account backend is unavailable:', error);
    return Response.json(
      {
        error: { message: 'Accounts are unavailable right now', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR' } },
      },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  }
}

export { handler as GET, handler as POST };
