import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { ApiError } from '../../shared/api/errors';
import { formatNumber } from '../../shared/lib/format';
import { PLANS, type Plan, useOperatorAction } from './operator-api';

interface Organization {
  id: string;
  name: string;
  slug: string;
  plan: string;
  tokenBalance: number | null;
  tokensUsed: number;
  members: number;
  suspended: boolean;
}

/** One organisation with the operator's actions: plan, token top-up, suspend or resume. */
export function OrganizationRow({ organization }: { organization: Organization }) {
  const { confirm, dialog } = useConfirm();
  const action = useOperatorAction(organization.id);
  const [tokens, setTokens] = useState('');
  const error = action.error instanceof ApiError ? action.error.message : action.error ? t.app.genericError : undefined;
  const named = (template: string) => fmt(template, { name: organization.name });
  return (
    <tr>
      <td>
        <strong>{organization.name}</strong>
        <div className="muted small">{organization.slug}</div>
        {error && (
          <div className="field-error" role="alert">
            {error}
          </div>
        )}
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`plan-${organization.id}`}>
          {named(t.operator.planOf)}
        </label>
        <select
          id={`plan-${organization.id}`}
          value={organization.plan}
          disabled={action.isPending}
          onChange={(change) => action.mutate({ action: 'plan', plan: change.target.value as Plan })}
        >
          {PLANS.map((plan) => (
            <option key={plan} value={plan}>
              {plan}
            </option>
          ))}
        </select>
      </td>
      <td data-testid={`balance-${organization.slug}`}>
        {organization.tokenBalance === null ? t.overview.unlimited : formatNumber(organization.tokenBalance)}
      </td>
      <td>{organization.members}</td>
      <td>
        <form
          className="inline-form"
          onSubmit={(submit) => {
            submit.preventDefault();
            const amount = Number(tokens);
            if (!Number.isInteger(amount) || amount < 1) return;
            action.mutate({ action: 'topup', tokens: amount }, { onSuccess: () => setTokens('') });
          }}
        >
          <label className="visually-hidden" htmlFor={`topup-${organization.id}`}>
            {named(t.operator.tokensFor)}
          </label>
          <input
            id={`topup-${organization.id}`}
            type="number"
            min={1}
            value={tokens}
            onChange={(change) => setTokens(change.target.value)}
          />
          <button type="submit" className="button small" disabled={action.isPending || !tokens}>
            {named(t.operator.topUp)}
          </button>
        </form>
      </td>
      <td>
        <span className={`badge ${organization.suspended ? 'suspended' : 'active'}`}>
          {organization.suspended ? t.operator.suspended : t.operator.active}
        </span>{' '}
        {organization.suspended ? (
          <button type="button" className="button small" disabled={action.isPending} onClick={() => action.mutate({ action: 'resume' })}>
            {named(t.operator.resume)}
          </button>
        ) : (
          <button
            type="button"
            className="button small danger"
            disabled={action.isPending}
            onClick={() => {
              void confirm(named(t.operator.confirmSuspend), named(t.operator.suspend)).then(
                (ok) => ok && action.mutate({ action: 'suspend' }),
              );
            }}
          >
            {named(t.operator.suspend)}
          </button>
        )}
        {dialog}
      </td>
    </tr>
  );
}
