import { PassBranding } from '../contracts/passes/public-pass.view';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The colours and logo of a template, checked again at render time (they end up inside CSS and attributes). */
export interface HolderTheme {
  primary: string;
  background: string;
  text: string;
  logoUrl: string | null;
  brandName: string | null;
}

export const DEFAULT_THEME: HolderTheme = { primary: '#1f4e8c', background: '#ffffff', text: '#1a1a1a', logoUrl: null, brandName: null };

export function holderTheme(branding: PassBranding | null | undefined): HolderTheme {
  if (!branding) return DEFAULT_THEME;
  return {
    primary: safeColour(branding.primaryColor, DEFAULT_THEME.primary),
    background: safeColour(branding.backgroundColor, DEFAULT_THEME.background),
    text: safeColour(branding.textColor, DEFAULT_THEME.text),
    logoUrl: safeHttpsUrl(branding.logoUrl),
    brandName: branding.name || null,
  };
}

export function safeColour(value: string | null | undefined, fallback: string): string {
  return value && HEX_COLOUR.test(value) ? value.toLowerCase() : fallback;
}

export function safeHttpsUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
