export type BrandingImageKind = 'logo' | 'icon';
export type BrandingImageOwner = 'template' | 'event';

/** An uploaded logo or icon, as stored: `url` serves its 1x PNG (`…@2x.png`, `…@3x.png` the larger ones). */
export interface BrandingImageView {
  kind: BrandingImageKind;
  url: string;
  /** Of the 1x PNG, in pixels. */
  width: number;
  height: number;
}

/** What the gateway sends for an upload: the file's bytes, base64. */
export interface PutBrandingImageInput {
  kind: BrandingImageKind;
  data: string;
}
