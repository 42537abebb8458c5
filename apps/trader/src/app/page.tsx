// The home page is the markets overview.
export { default } from './markets/page';

export const dynamic = 'force-dynamic';
