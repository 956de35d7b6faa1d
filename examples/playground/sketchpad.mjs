// A canvas to draw a digit on with the mouse, a pen or a finger (white ink on black, like MNIST). When a
// stroke ends it calls `onDigit` with the drawing as 784 MNIST-style pixels (see mnist-pixels.ts).
import { toMnistPixels } from "./mnist-pixels";

export class Sketchpad {
  constructor(canvas, onDigit) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d", { willReadFrequently: true });
    this.onDigit = onDigit;
    this.clear();
    let last = null;
    const at = (event) => {
      const box = canvas.getBoundingClientRect();
      return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
    };
    canvas.addEventListener("pointerdown", (event) => {
      canvas.setPointerCapture(event.pointerId);
      last = at(event);
      this.stroke(last, last);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!last) return;
      const next = at(event);
      this.stroke(last, next);
      last = next;
    });
    const end = () => {
      if (!last) return;
      last = null;
      this.onDigit(this.pixels());
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  stroke([x0, y0], [x1, y1]) {
    const g = this.context;
    g.strokeStyle = "white";
    g.lineWidth = this.canvas.width / 12;
    g.lineCap = "round";
    g.beginPath();
    g.moveTo(x0, y0);
    g.lineTo(x1, y1);
    g.stroke();
  }

  clear() {
    this.context.fillStyle = "black";
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** The drawing as 784 pixels in [0, 1], or null when the canvas is empty. */
  pixels() {
    const { width, height } = this.canvas;
    const rgba = this.context.getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i] / 255;
    return toMnistPixels(ink, width, height);
  }
}
