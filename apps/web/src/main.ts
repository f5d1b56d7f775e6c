/** The site's entry: four pages behind hash routes (#/train, #/draw, #/course, #/bench). */
import "./style.css";
import { mountBench } from "./pages/bench.js";
import { mountCourse } from "./pages/course.js";
import { mountDraw } from "./pages/draw.js";
import { mountTrain } from "./pages/train.js";

const PAGES: Record<string, (root: HTMLElement) => () => void> = { train: mountTrain, draw: mountDraw, course: mountCourse, bench: mountBench };

const main = document.getElementById("main")!;
let unmount: (() => void) | undefined;

function route(): void {
  const name = location.hash.replace(/^#\/?/, "") || "train";
  const page = Object.hasOwn(PAGES, name) ? name : "train";
  unmount?.();
  main.replaceChildren();
  unmount = PAGES[page](main);
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (a.getAttribute("href") === `#/${page}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${main.querySelector("h2")?.textContent ?? "Tessera"} · Tessera`;
}

window.addEventListener("hashchange", () => {
  route();
  main.focus();
});
route();
