// Chats with the local bot through the Agents Playground in headless Chromium, the way a new
// user would, and saves a screenshot. Start `bash scripts/run-local.sh --playground` first, then:
//   node scripts/playground/try-it.mjs "help"
//   node scripts/playground/try-it.mjs --shot build/form.png --locale it-IT "diventa champion" --reload "join"
// Each message waits for the bot's answer; --reload reloads the page in between (as a user
// coming back later would); --click "Button title" presses a card button; --wait SECONDS
// pauses (a form's lifetime passing, with a short FORM_LIFETIME_HOURS). PLAYGROUND_PORT
// (56150) finds the playground. Needs Debian's chromium; playwright-core drives it.
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
let screenshot = "build/playground.png";
let locale = "en-US";
const steps = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--shot") screenshot = args[++i];
  else if (args[i] === "--locale") locale = args[++i];
  else if (args[i] === "--reload") steps.push({ reload: true });
  else if (args[i] === "--click") steps.push({ click: args[++i] });
  else if (args[i] === "--wait") steps.push({ wait: Number(args[++i]) });
  else steps.push({ say: args[i] });
}
if (!steps.length) steps.push({ say: "help" });

const port = process.env.PLAYGROUND_PORT ?? "56150";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // No background networking: this machine has no internet, and the playground needs none.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  const box = page.locator('[data-lexical-editor="true"][role="textbox"]');
  const open = async () => {
    await page.goto(`http://localhost:${port}`, { waitUntil: "networkidle" });
    await box.waitFor();
    await page.waitForTimeout(1500); // a greeting may arrive first
  };
  const botReplies = () => page.evaluate(
    () => [...document.querySelectorAll("*")].filter((e) => e.childElementCount === 0 && e.textContent === "Test Bot").length);
  const waitForReply = async (before) => {
    await page.waitForFunction(
      (n) => [...document.querySelectorAll("*")].filter((e) => e.childElementCount === 0 && e.textContent === "Test Bot").length > n,
      before, { timeout: 15000 });
    await page.waitForTimeout(1200); // the rest of the answer (a card after a text)
  };
  await open();
  for (const step of steps) {
    if (step.reload) {
      await open();
      continue;
    }
    if (step.wait) {
      await page.waitForTimeout(step.wait * 1000);
      continue;
    }
    const before = await botReplies();
    if (step.click) {
      await page.getByRole("button", { name: step.click }).last().click();
    } else {
      await box.click();
      await box.type(step.say);
      await page.keyboard.press("Enter");
    }
    await waitForReply(before);
  }
  await page.screenshot({ path: screenshot });
  const body = await page.locator("body").innerText();
  const last = body.lastIndexOf("Test Bot");
  console.log(body.slice(last, body.indexOf("Log Panel", last) > 0 ? body.indexOf("Log Panel", last) : undefined));
  console.log(`screenshot: ${screenshot}`);
} finally {
  await browser.close();
}
