/**
 * The site's entry: four pages behind hash routes (#/train, #/draw, #/course, #/bench), each
 * loaded on first visit, so the first page pays only for itself.
 */
import "./style.css";

type Mount = (root: HTMLElement) => () => void;
const PAGES: Record<string, () => Promise<Mount>> = {
  train: async () => (await import("./pages/train.js")).mountTrain,
  draw: async () => (await import("./pages/draw.js")).mountDraw,
  course: async () => (await import("./pages/course.js")).mountCourse,
  bench: async () => (await import("./pages/bench.js")).mountBench,
};

const main = document.getElementById("main")!;
let unmount: (() => void) | undefined;
let current = 0;

async function route(): Promise<void> {
  const name = location.hash.replace(/^#\/?/, "") || "train";
  const page = Object.hasOwn(PAGES, name) ? name : "train";
  const ticket = ++current;
  const mount = await PAGES[page]();
  if (ticket !== current) return; // another route was asked for meanwhile
  unmount?.();
  main.replaceChildren();
  unmount = mount(main);
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (a.getAttribute("href") === `#/${page}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${main.querySelector("h2")?.textContent ?? "Tessera"} · Tessera`;
}

function fail(e: unknown): void {
  main.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: `Error: this page did not load (${(e as Error).message})` }));
  console.error(e);
}

window.addEventListener("hashchange", () => {
  route().then(() => main.focus(), fail);
});
route().catch(fail);
