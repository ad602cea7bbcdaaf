import { useQuery } from '@tanstack/react-query';
import { FormEvent, useEffect, useState } from 'react';
import { isPassCode } from '@passway/rules';
import type { DoorSession } from '../lib/door-session';
import { doorText } from '../strings';

/** Search by name, email or code (from 3 characters, 200 ms debounce) and check in with one tap (method manual). */
export function ManualCheckIn({ session, onCode }: { session: DoorSession; onCode: (code: string) => void }) {
  const [term, setTerm] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(term.trim()), 200);
    return () => clearTimeout(timer);
  }, [term]);
  const hits = useQuery({
    queryKey: ['door-search', session.profile.deviceId, debounced],
    queryFn: () => session.search(debounced),
    enabled: debounced.length >= 3 && !isPassCode(debounced),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (term.trim()) onCode(term.trim());
  };

  return (
    <section className="door-manual" aria-label={doorText.manual}>
      <h2>{doorText.manual}</h2>
      <form onSubmit={submit}>
        <input
          data-testid="manual-input"
          value={term}
          onChange={(event) => setTerm(event.target.value)}
          placeholder={doorText.searchPlaceholder}
          autoComplete="off"
        />
        <button type="submit">{doorText.typeCode}</button>
      </form>
      {session.connectivity.mode === 'offline' && debounced.length >= 3 && <p className="door-note">{doorText.offlineSearchNote}</p>}
      {hits.data && hits.data.length === 0 && <p>{doorText.noHits}</p>}
      <ul className="door-hits">
        {hits.data?.map((hit, index) => (
          <li key={hit.code ?? hit.codeHash ?? index}>
            <span>
              {hit.holderName ?? '—'} <small>{hit.passName}</small>
              {hit.checkedIn ? ' ✓' : ''}
            </span>
            {hit.code && (
              <button type="button" data-testid="check-in" onClick={() => onCode(hit.code!)}>
                {doorText.checkIn}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
