import { doorText } from '../strings';

export function MessageScreen({ text, tone, testId = 'message' }: { text: string; tone: 'info' | 'error'; testId?: string }) {
  return (
    <main className={`door-message door-message--${tone}`}>
      <h1>{doorText.title}</h1>
      <p data-testid={testId} role={tone === 'error' ? 'alert' : 'status'}>
        {text}
      </p>
    </main>
  );
}
