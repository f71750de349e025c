// The domain modules attached to the realtime core, in order. Add a domain's module here.
import type { RealtimeModule } from './types';

export const MODULES: RealtimeModule[] = [];
