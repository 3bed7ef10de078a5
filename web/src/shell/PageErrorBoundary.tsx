import { Component, type ReactNode } from 'react';
import { ErrorBox } from '../components/index.ts';

/**
 * A page that throws while rendering shows its error inside the shell instead of blanking the whole
 * app; the menu keeps working. Keyed by path in App, so navigating away resets it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  componentDidCatch(error: unknown) {
    console.error('icvgate: page crashed', error);
  }
  render() {
    if (this.state.error) return <ErrorBox error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
