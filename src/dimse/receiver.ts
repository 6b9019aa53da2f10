import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import dcmjsDimse from 'dcmjs-dimse';
import type { Dataset as DimseDataset, association, requests, responses as responseTypes } from 'dcmjs-dimse';
import { DICOM_SOP_CLASSES } from '../domain/dicom.js';
import type { Platform } from '../platform.js';
import type { DicomIntakeService, ReceiveOutcome } from '../services/dicom-intake.service.js';
import type { DicomNode } from '../storage/repositories/dicom-inbox.repository.js';
import type { WorkerLog } from '../workers/job-loop.js';
import { EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN, JPEG_BASELINE } from '../media/dicom-parsing.js';

const { Scp, Dataset, constants, responses, log: libraryLog } = dcmjsDimse;
const { PresentationContextResult, RejectReason, RejectResult, RejectSource, Status } = constants;

const VERIFICATION = '1.2.840.10008.1.1';
/** The syntaxes the intake decodes (media/dicom-image.ts), in the order we take them: the camera's JPEG as it is, else uncompressed. */
const STORE_SYNTAXES = [JPEG_BASELINE, EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN];
const ECHO_SYNTAXES = [EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN];
/** C-STORE statuses (PS3.4 Annex GG.4): refused for lack of resources (too large), cannot understand, processing failure. */
const STATUS_OUT_OF_RESOURCES = 0xa700;
const STATUS_CANNOT_UNDERSTAND = 0xc000;
/** Associations open at once; each may hold one file of up to the image size limit in memory. */
const MAX_CONNECTIONS = 16;

export interface DicomReceiver {
  /** The port it listens on (useful when the setting was 0). */
  readonly port: number;
  /** Stops taking associations, lets the C-STOREs under way be stored and answered, then closes the connections left. */
  close(): Promise<void>;
  /** Cuts every connection at once (the shutdown deadline passed). */
  abort(): void;
}

interface ReceiverContext {
  readonly intake: DicomIntakeService;
  readonly log: WorkerLog;
  readonly maxInstanceBytes: number;
  /** C-STOREs being stored now, which `close` waits for. */
  readonly inFlight: Set<Promise<unknown>>;
}

/**
 * A data set arriving in P-DATA fragments, kept in memory up to the limit
 * (the intake reads a DICOM file whole anyway); past it the rest is drained
 * and the C-STORE is answered "out of resources".
 */
class InstanceBuffer extends Writable {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  tooLarge = false;

  constructor(
    private readonly limit: number,
    /** The transfer syntax of the presentation context it arrives on: the data set's. */
    readonly transferSyntaxUid: string,
  ) {
    // Fragments arrive as PDUs of up to a few hundred kilobytes: no back-pressure between them.
    super({ highWaterMark: 4 * 1024 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.tooLarge = true;
      this.chunks.length = 0;
    } else this.chunks.push(Buffer.from(chunk));
    done();
  }
}

/** The SCP of one connection: the association's checks, C-ECHO, and C-STORE into the inbox. */
function receiverClass(context: ReceiverContext) {
  return class Receiver extends Scp {
    private node: DicomNode | null = null;
    private callingAe = '';
    private current: InstanceBuffer | null = null;

    constructor(
      private readonly connection: net.Socket,
      options: ConstructorParameters<typeof Scp>[1],
    ) {
      super(connection, options);
    }

    /** The sender gave up (A-ABORT): close at once, or it waits out its own timer (dcmtk: 30 s) for us to. */
    override abort(): void {
      this.connection.destroy();
    }

    override associationRequested(association: association.Association): void {
      const calling = association.getCallingAeTitle();
      const called = association.getCalledAeTitle();
      context.intake.admit(called, calling).then(
        (verdict) => {
          if (!verdict.accepted) {
            // No AE titles in the log: they are configuration, but a stranger's could be anything.
            context.log.warn({ worker: 'dicom_receiver', refused: verdict.reason }, 'DICOM association refused');
            const reason = verdict.reason === 'called_ae' ? RejectReason.CalledAeNotRecognized : RejectReason.CallingAeNotRecognized;
            this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, reason);
            return;
          }
          this.node = verdict.node;
          this.callingAe = calling.trim();
          for (const proposed of association.getPresentationContexts()) {
            const pc = association.getPresentationContext(proposed.id);
            const abstract = pc.getAbstractSyntaxUid();
            const wanted = abstract === VERIFICATION ? ECHO_SYNTAXES : Object.hasOwn(DICOM_SOP_CLASSES, abstract) ? STORE_SYNTAXES : null;
            const offered = pc.getTransferSyntaxUids();
            const syntax = wanted?.find((s) => offered.includes(s));
            if (wanted === null) pc.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
            else if (syntax === undefined) pc.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
            else pc.setResult(PresentationContextResult.Accept, syntax);
          }
          this.sendAssociationAccept();
        },
        (error: unknown) => {
          context.log.error({ worker: 'dicom_receiver', error: error instanceof Error ? error.message : String(error) }, 'DICOM association could not be checked');
          this.sendAssociationReject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.TemporaryCongestion);
        },
      );
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: requests.CEchoRequest, callback: (response: responseTypes.CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(acceptedPresentationContext: association.PresentationContext): Writable {
      this.current = new InstanceBuffer(context.maxInstanceBytes, acceptedPresentationContext.getAcceptedTransferSyntaxUid() ?? '');
      return this.current;
    }

    override createDatasetFromStoreWritableStream(
      writable: Writable,
      acceptedPresentationContext: association.PresentationContext,
      callback: (dataset: DimseDataset) => void,
    ): void {
      // The bytes are ours (this.current); the library only needs a data set to carry on with.
      const done = () => callback(new Dataset({}, acceptedPresentationContext.getAcceptedTransferSyntaxUid()));
      if (writable.writableFinished) done();
      else writable.once('finish', done);
    }

    override cStoreRequest(request: requests.CStoreRequest, callback: (response: responseTypes.CStoreResponse) => void): void {
      const response = responses.CStoreResponse.fromRequest(request);
      const buffer = this.current;
      this.current = null;
      const answer = (status: number) => {
        response.setStatus(status);
        callback(response);
      };
      if (this.node === null || buffer === null) return answer(Status.ProcessingFailure);
      if (buffer.tooLarge) return answer(STATUS_OUT_OF_RESOURCES);
      const storing = context.intake
        .receive({
          node: this.node,
          callingAe: this.callingAe,
          sopClassUid: request.getAffectedSopClassUid(),
          sopInstanceUid: request.getAffectedSopInstanceUid(),
          transferSyntaxUid: buffer.transferSyntaxUid,
          dataset: buffer.chunks,
        })
        .then(
          (outcome: ReceiveOutcome) => answer(outcome === 'unreadable' ? STATUS_CANNOT_UNDERSTAND : Status.Success),
          (error: unknown) => {
            context.log.error({ worker: 'dicom_receiver', error: error instanceof Error ? error.message : String(error) }, 'DICOM file could not be stored');
            answer(Status.ProcessingFailure);
          },
        );
      context.inFlight.add(storing);
      void storing.finally(() => context.inFlight.delete(storing));
    }
  };
}

/**
 * Starts the C-STORE receiver on `config.dicom.host` and `config.dicom.port`:
 * one AE title per center, associations from calling AE titles the center
 * does not allow refused, Ophthalmic Photography and Secondary Capture in
 * the transfer syntaxes the intake decodes, and C-ECHO.
 */
export async function startDicomReceiver(platform: Platform, log: WorkerLog): Promise<DicomReceiver> {
  const { dicom, intake } = platform.config;
  if (dicom.port === null) throw new Error('the DICOM receiver needs OPENRETINA_DICOM_PORT');
  const context: ReceiverContext = { intake: platform.services.dicomIntake, log, maxInstanceBytes: intake.maxImageBytes, inFlight: new Set() };
  // The library's own log goes to the console, unstructured, and may name AE titles and UIDs: ours says what matters.
  libraryLog.setLevel('silent');
  const Receiver = receiverClass(context);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const receiver = new Receiver(socket, { associationTimeout: 60_000, pduTimeout: 60_000 });
    receiver.on('networkError', (error: Error) => log.warn({ worker: 'dicom_receiver', error: error.message }, 'DICOM connection error'));
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(dicom.port!, dicom.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ worker: 'dicom_receiver', error: error.message }, 'DICOM receiver error'));
  const abort = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    abort,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      while (context.inFlight.size > 0) await Promise.allSettled([...context.inFlight]);
      abort();
      await closed;
    },
  };
}
