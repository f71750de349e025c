// The domain modules attached to the realtime core, in order. Add a domain's module here.
import type { RealtimeModule } from './types';
import { collabModule } from '../collab';

export const MODULES: RealtimeModule[] = [collabModule];
