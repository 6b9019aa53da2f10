import { type ReportLanguage, centerOf } from '../domain/center.js';
import type { Principal } from '../domain/principal.js';
import type { ServiceContext } from './context.js';

export interface CenterView {
  readonly id: number;
  readonly name: string;
  readonly language: ReportLanguage;
  /** IANA time zone its reports are dated in (its own or the instance default). */
  readonly timezone: string;
  readonly active: boolean;
}

export class CenterService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The centers the caller may work for, marking the active one. */
  async listCenters(principal: Principal): Promise<CenterView[]> {
    const centers = await this.ctx.repos.tenancy.findCentersByIds(this.ctx.db, await this.ctx.access.centerIdsOf(principal));
    const active = principal.kind === 'api_client' ? principal.activeCenterId : null;
    return centers.map((stored) => {
      const c = centerOf(stored, this.ctx.config.defaultTimezone);
      return { id: c.id, name: c.name, language: c.language, timezone: c.timezone, active: c.id === active };
    });
  }
}
