// The portal's shell, rendered per request: the tenant's name, colours and default market come from its config
// (EXBOX_TENANT_CONFIG, or the demo tenant) and the gateway's URL from the environment, so one build serves any
// operator and any gateway.
import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { ConnectionBanner } from '../components/connection-banner';
import { GatewayProvider } from '../components/gateway-provider';
import { SiteHeader } from '../components/site-header';
import { themeBootScript } from '../components/theme-toggle';
import { gatewayUrlForBrowser, readTraderEnvironment } from '../env';
import { tenantConfig } from '../tenant';
import './globals.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { branding } = await tenantConfig();
  return {
    title: { default: `${branding.name}: markets`, template: `%s | ${branding.name}` },
    description: `Spot markets on ${branding.name}: live prices, order books and charts.`,
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: dark)', color: '#0b0e11' },
    { media: '(prefers-color-scheme: light)', color: '#f5f6f8' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { branding } = await tenantConfig();
  const gatewayPublicUrl = gatewayUrlForBrowser(readTraderEnvironment(), (await headers()).get('host'));
  // The colours are validated hex by the config schema, so they are safe to place in CSS.
  const brandCss = `:root{--brand:${branding.primaryColor};--accent:${branding.accentColor}}`;
  return (
    <html lang="en" data-theme="dark" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
        <style dangerouslySetInnerHTML={{ __html: brandCss }} />
      </head>
      <body>
        <GatewayProvider gatewayUrl={gatewayPublicUrl}>
          <SiteHeader
            branding={{ name: branding.name, logoUrl: branding.logoUrl ?? null, defaultMarket: branding.defaultMarket }}
          />
          <ConnectionBanner />
          {children}
        </GatewayProvider>
      </body>
    </html>
  );
}
