import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, fieldErrors, messageOf } from '../api.js';
import { LANGUAGE_NAMES } from '../../../src/domain/center.js';
import { formatDateTime, relativeToNow, STATUS_LABELS } from '../labels.js';
import { navigate } from '../router.js';
import { ClinicalData } from './ClinicalData.js';
import { type ReportBody, GradingForm } from './GradingForm.js';
import { type Adjustments, NO_ADJUSTMENTS } from './ImageViewer.js';
import { ImagePanes } from './ImagePanes.js';
import { RejectForm } from './RejectForm.js';
import { ReportPanel } from './ReportPanel.js';
import type { ReadingView, ReportVersion } from './types.js';
import { Shortcuts } from './Shortcuts.js';
import { nextCaseAfter, patientSummary, signedNotice } from './Worklist.js';

/**
 * One case for a reader: claimed on opening (a pending case), the images of
 * both eyes with the previous visit's, the anonymised clinical data, and the
 * grading form — or, once signed, the report with its history and amendments.
 */
export function CaseView({ caseId }: { caseId: number }) {
  const [view, setView] = useState<ReadingView | null>(null);
  const [history, setHistory] = useState<readonly ReportVersion[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adjust, setAdjust] = useState<Adjustments>(NO_ADJUSTMENTS);
  const [mode, setMode] = useState<'grade' | 'reject' | 'request'>('grade');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // Arriving from "Sign and open the next case", the signed one is named here.
  const [notice, setNotice] = useState<string | null>(() => signedNotice(location.search));

  const load = useCallback(async () => {
    const next = await api.get<ReadingView>(`/reading/cases/${caseId}`);
    setView(next);
    if (next.case.status === 'reported') setHistory(await api.get<ReportVersion[]>(`/reading/cases/${caseId}/reports`));
  }, [caseId]);

  /** A correction of laterality, then the case again as the server now has it. */
  const changeEyes = async (change: () => Promise<unknown>) => {
    try {
      await change();
      await load();
      setNotice('Eyes updated.');
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  // Claim on open: two readers never grade the same case. A signed case needs no claim.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await api.post(`/reading/cases/${caseId}/claim`);
      } catch (caught) {
        if (!(caught instanceof ApiError && caught.code === 'case_not_pending')) throw caught;
      }
      if (!cancelled) await load();
    })().catch((caught: unknown) => !cancelled && setError(messageOf(caught)));
    return () => {
      cancelled = true;
    };
  }, [caseId, load]);

  // Renew the claim halfway through its life while the case is open.
  const expiresAt = view?.claim_expires_at ?? null;
  useEffect(() => {
    if (expiresAt === null) return;
    const wait = Math.max(30_000, (new Date(expiresAt).getTime() - Date.now()) / 2);
    const timer = setTimeout(() => {
      api.post<{ expires_at: string }>(`/reading/cases/${caseId}/claim`).then(
        (claim) => setView((v) => (v ? { ...v, claim_expires_at: claim.expires_at } : v)),
        (caught: unknown) => setError(`The claim could not be renewed: ${messageOf(caught)}`),
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [caseId, expiresAt]);

  const release = async () => {
    await api.post(`/reading/cases/${caseId}/release`).catch(() => undefined);
    navigate('/reading');
  };

  /** Sends one decision; true when the server took it, else its errors are shown. */
  const act = async (path: string, body: unknown, done: string, then: () => Promise<void> = load): Promise<boolean> => {
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      await api.post(path, body);
      setNotice(done);
      setMode('grade');
      await then();
      return true;
    } catch (caught) {
      setErrors(fieldErrors(caught));
      if (!(caught instanceof ApiError && caught.fields.length > 0)) setError(messageOf(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const sign = (body: ReportBody) => act(`/reading/cases/${caseId}/sign`, body, 'Report signed.');
  // Signed, then straight on to the oldest case nobody else holds (with the worklist's filters), or back to the worklist.
  const signAndNext = (body: ReportBody) =>
    act(`/reading/cases/${caseId}/sign`, body, 'Report signed.', async () => {
      const next = await nextCaseAfter(caseId).catch(() => null);
      navigate(next === null ? `/reading?signed=${caseId}` : `/reading/cases/${next}?signed=${caseId}`);
    });
  const amend = (body: ReportBody) => act(`/reading/cases/${caseId}/amend`, body, 'Amended report signed.');
  // A rejected case goes back to the center: nothing left to read here.
  const reject = (body: { reason: string; text: string }) => act(`/reading/cases/${caseId}/reject`, body, 'Case rejected.', async () => navigate('/reading'));
  // The case waits for the center's new photographs, off the worklist.
  const requestImages = (body: { reason: string; text: string }) =>
    act(`/reading/cases/${caseId}/request-images`, body, 'New photographs requested.', async () => navigate('/reading'));

  if (view === null) {
    return error ? (
      <section>
        <p className="error" role="alert">
          {error}
        </p>
        <button type="button" onClick={() => navigate('/reading')}>
          Back to the worklist
        </button>
      </section>
    ) : (
      <p className="loading">Opening case #{caseId}…</p>
    );
  }
  const c = view.case;
  const previous = view.previous_cases[0] ?? null;
  return (
    <section className="case-view" aria-labelledby="case-title">
      <svg width="0" height="0" aria-hidden="true" style={{ position: 'absolute' }}>
        <filter id="red-free" colorInterpolationFilters="sRGB">
          {/* Every channel takes the green one: the red-free view. */}
          <feColorMatrix type="matrix" values="0 1 0 0 0  0 1 0 0 0  0 1 0 0 0  0 0 0 1 0" />
        </filter>
      </svg>
      <header className="case-header">
        <h1 id="case-title">
          Case #{c.id} <span className={`badge ${c.status}`}>{STATUS_LABELS[c.status]}</span>
        </h1>
        <p data-testid="case-center">
          From <strong>{view.center.name}</strong> · report in <strong>{LANGUAGE_NAMES[view.center.language]}</strong> · times in {view.center.timezone}
        </p>
        <p>
          {patientSummary(c)} · visit {c.visit_date} · submitted {formatDateTime(c.created_at)}
          {c.deadline && c.status === 'pending' && (
            <>
              {' · '}
              <span className={c.overdue ? 'overdue-text' : undefined}>
                due {formatDateTime(c.deadline)} ({relativeToNow(c.deadline)})
              </span>
            </>
          )}
        </p>
        {view.opened_by.length > 0 && (
          <p data-testid="opened-by">
            Also opened by{' '}
            {view.opened_by.map((o, i) => (
              <span key={`${o.name} ${o.opened_at}`}>
                {i > 0 && ', '}
                <strong>{o.name}</strong> (<time dateTime={o.opened_at}>{formatDateTime(o.opened_at)}</time>)
              </span>
            ))}
          </p>
        )}
        <p className="actions">
          {c.status === 'pending' && (
            <button type="button" onClick={release}>
              Release to the worklist
            </button>
          )}
          <button type="button" onClick={() => navigate('/reading')}>
            Back to the worklist
          </button>
        </p>
        <Shortcuts />
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="reading-layout">
        <ImagePanes
          caseId={c.id}
          current={c}
          previous={previous}
          adjust={adjust}
          onAdjust={setAdjust}
          onSetEye={(imageId, eye) => void changeEyes(() => api.post(`/reading/cases/${caseId}/images/${imageId}/eye`, { eye }))}
          onSwapEyes={() => void changeEyes(() => api.post(`/reading/cases/${caseId}/eyes/swap`))}
        />
        <aside className="panel">
          <ClinicalData c={c} previous={previous} />
          {c.status === 'pending' && mode === 'grade' && (
            <>
              <GradingForm mode="sign" language={view.center.language} errors={errors} busy={busy} onSubmit={sign} onSubmitAndNext={signAndNext} />
              <p>
                <button type="button" onClick={() => setMode('request')}>
                  Ask for new photographs…
                </button>{' '}
                <button type="button" onClick={() => setMode('reject')}>
                  Reject the case…
                </button>
              </p>
            </>
          )}
          {c.status === 'pending' && mode === 'reject' && <RejectForm errors={errors} busy={busy} onSubmit={reject} onCancel={() => setMode('grade')} />}
          {c.status === 'pending' && mode === 'request' && (
            <RejectForm action="request" errors={errors} busy={busy} onSubmit={requestImages} onCancel={() => setMode('grade')} />
          )}
          {c.status === 'reported' && <ReportPanel caseId={c.id} language={view.center.language} history={history} errors={errors} busy={busy} onAmend={amend} />}
          {c.status === 'rejected' && <p className="notice">This case was rejected and went back to the center.</p>}
        </aside>
      </div>
    </section>
  );
}
