export interface ClientView {
  id: string;
  tenantId: string;
  name: string;
  email: string | null;
  phone: string | null;
  notes: string | null;
  createdAt: string;
}
