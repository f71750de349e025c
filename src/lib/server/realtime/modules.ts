// The domain modules attached to the realtime core, in order. Add a domain's module here.
import type { RealtimeModule } from './types';
import { collabModule } from '../collab';
import { meetingsModule } from '../meetings/socket';

export const MODULES: RealtimeModule[] = [collabModule, meetingsModule];
