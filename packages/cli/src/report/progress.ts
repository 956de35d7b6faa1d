/**
 * Progress of a training run, one epoch at a time: on a terminal a cli-progress bar per epoch with
 * the running loss and accuracy (and the test figures once the epoch is done); elsewhere (a pipe, a
 * file, CI) one plain line per finished epoch.
 */
import { SingleBar } from "cli-progress";
import type { EpochRecord, StepReport } from "../experiment/fit";

/** Where text goes: a stream such as process.stdout, or anything with `write` (tests). */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const figure = (label: string, value: number | undefined, digits: number) => (value === undefined ? "" : `  ${label} ${value.toFixed(digits)}`);

/** The line that sums up a finished epoch. */
export function epochLine(record: EpochRecord, epochs: number): string {
  const number = `${String(record.epoch).padStart(String(epochs).length)}/${epochs}`;
  return `epoch ${number}${figure("loss", record.loss, 4)}${figure("accuracy", record.accuracy, 3)}` +
    `${figure("test loss", record.testLoss, 4)}${figure("test accuracy", record.testAccuracy, 3)}  (${record.seconds.toFixed(1)} s)`;
}

/** The progress report of a run: `start` an epoch, report each `step`, `end` it with its record. */
export class EpochProgress {
  private bar: SingleBar | undefined;

  /** `showBars`: draw cli-progress bars (only sensible on a terminal); otherwise print a line per epoch. */
  constructor(private readonly out: Output, private readonly epochs: number, private readonly showBars: boolean) {}

  /** Begins epoch `epoch` of `steps` steps. */
  start(epoch: number, steps: number): void {
    if (!this.showBars) return;
    const number = `${String(epoch).padStart(String(this.epochs).length)}/${this.epochs}`;
    this.bar = new SingleBar({
      format: `epoch ${number} {bar} {value}/{total} | loss {loss}{accuracy}{test} | {duration_formatted}`,
      stream: this.out as NodeJS.WritableStream,
      barsize: 30, barCompleteChar: "█", barIncompleteChar: "░", hideCursor: true, clearOnComplete: false, fps: 10,
    });
    this.bar.start(steps, 0, { loss: "…", accuracy: "", test: "" });
  }

  /** The running loss and accuracy after a step. */
  step(report: StepReport): void {
    this.bar?.update(report.step, { loss: report.loss.toFixed(4), accuracy: figure("| accuracy", report.accuracy, 3).replace(/^ +/, " ") });
  }

  /** Finishes the epoch: the bar gets the test accuracy and stays, or the epoch's line is printed. */
  end(record: EpochRecord): void {
    if (!this.bar) {
      this.out.write(epochLine(record, this.epochs) + "\n");
      return;
    }
    const test = record.testAccuracy !== undefined ? ` | test accuracy ${record.testAccuracy.toFixed(3)}` : figure("| test loss", record.testLoss, 4).replace(/^ +/, " ");
    this.bar.update({ test });
    this.bar.stop();
    this.bar = undefined;
  }
}
