/**
 * A template changed what its passes show (colours, logo, icon, barcode format, name): every wallet
 * pass that wears it is updated. On the pass topic, keyed by the template id. Not a webhook event.
 */
export interface TemplateUpdatedValue {
  id: string;
  /** The fields that changed: `primaryColor`, `backgroundColor`, `textColor`, `logoUrl`, `barcodeFormat`, `name`, `description`, `logo`, `icon`. */
  changedFields: string[];
  /**
   * The template's look after the change, which Google Wallet objects are PATCHed with (Apple
   * devices fetch the whole pass instead). Absent from events written before it was added.
   */
  primaryColor?: string | null;
  backgroundColor?: string | null;
  textColor?: string | null;
  logoUrl?: string | null;
}
