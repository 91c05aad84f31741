// Browser flows of motcua in headless Chromium (Debian's package), driven by
// playwright-core. Run by web/ui/browser_test.go, which starts motcua with
// the demo province and checks what this script reports.
//
//   node flow.mjs officer BASE_URL ARTIFACT_DIR   → prints {"code": …}
//   node flow.mjs citizen LOOKUP_URL ARTIFACT_DIR CODE
//   node flow.mjs stats BASE_URL ARTIFACT_DIR      → prints {"figure": …, "listed": …}
//   node flow.mjs register BASE_URL ARTIFACT_DIR ID_NUMBER → prints {"code": …, "typed": …, "clicks": …}
//
// Every check that fails throws, so the process exits non-zero with the
// reason; screenshots of the main screens are saved in ARTIFACT_DIR.
import { chromium } from "playwright-core";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const [phase, target, artifacts, expectCode] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
const PASSWORD = "MotCua@2026";
// A CCCD QR content as a keyboard-wedge reader types it (invented person).
const QR = "089186001234|352123456|Nguyễn Thị Thanh Hà|14031986|Nữ|Ấp Trung, xã An Phú, tỉnh Mẫu|10052021";

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, name + ".png"), fullPage: true });
}

async function login(page, base, user) {
  await page.goto(base + "/dang-nhap");
  await page.fill("#f-username", user);
  await page.fill("#f-password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.press("#f-password", "Enter")]);
  check(!page.url().includes("/dang-nhap"), `login as ${user} failed: ${page.url()}`);
}

async function logout(page) {
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Đăng xuất')")]);
}

// act submits the form of one action on a dossier page.
async function act(page, action, fill) {
  const form = page.locator(`form.act.${action}`);
  check(await form.count() === 1, `action ${action} is not offered on ${page.url()}`);
  if (fill) await fill(form);
  await Promise.all([page.waitForURL(/\?xong=/), form.locator("button[type=submit]").click()]);
  const flash = await page.locator(".flash").textContent();
  check(flash.includes("Đã thực hiện"), `after ${action}: ${flash}`);
}

async function state(page) {
  return (await page.locator(".summary .state").textContent()).trim();
}

async function officer(base) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await ctx.newPage();
  await login(page, base, "motcua.anphu");
  check(page.url().endsWith("/tiep-nhan"), `a one-stop officer lands on the counter, not ${page.url()}`);

  // Find the procedure the way an officer types it: no diacritics.
  await page.fill("#f-q", "dang ky khai sinh");
  await Promise.all([page.waitForNavigation(), page.press("#f-q", "Enter")]);
  const first = page.locator("ol.results a").first();
  check((await first.textContent()).trim() === "Thủ tục đăng ký khai sinh", `first hit: ${await first.textContent()}`);
  await shot(page, "01-counter-search");
  await first.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);

  // The cursor waits in the QR field; the reader types the code and Enter.
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(focused === "f-cccd-qr", `the reception form starts in ${focused}, not the QR field`);
  const started = Date.now();
  await page.keyboard.type(QR);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("f-applicant-full-name").value === "Nguyễn Thị Thanh Hà");
  check(await page.inputValue("#f-applicant-id-number") === "089186001234", "ID number not filled from the QR code");
  check(await page.inputValue("#f-applicant-date-of-birth") === "14/03/1986", "birth date not filled");
  const afterScan = await page.evaluate(() => document.activeElement.id);
  check(afterScan === "f-applicant-phone", `after the scan the cursor is in ${afterScan}, not the phone field`);
  await page.keyboard.type("0912 345 678");
  await page.getByLabel(/^Đã nộp: Giấy chứng sinh/).check();
  await shot(page, "02-reception-form");
  await Promise.all([page.waitForURL(/\/ho-so\/.*\?moi=receive/), page.click("button[value=receive]")]);
  const seconds = (Date.now() - started) / 1000;
  const code = (await page.locator("h1").textContent()).replace("Hồ sơ", "").trim();
  check(/^H99\.101-\d{6}-\d{4}$/.test(code), `dossier code ${code}`);
  check((await state(page)).startsWith("Đã tiếp nhận"), `state after reception: ${await state(page)}`);
  // The receipt is one keystroke away: its button has the focus.
  const printBtn = page.locator(".print-now a");
  check((await printBtn.textContent()).includes("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), "no receipt button");
  check(await page.evaluate(() => document.activeElement.closest(".print-now") !== null), "the receipt button does not have the focus");
  await shot(page, "03-received");
  const receipt = await ctx.request.get(base + (await printBtn.getAttribute("href")));
  check(receipt.ok() && receipt.headers()["content-type"] === "application/pdf", "receipt is not a PDF");
  writeFileSync(join(artifacts, "receipt.pdf"), await receipt.body());

  // The scanned birth certificate (here: the receipt's bytes, a real PDF)
  // is uploaded from the dossier page by a plain multipart form.
  const scan = await receipt.body();
  const birthCert = await page.locator("#attach-component option", { hasText: "Giấy chứng sinh" }).getAttribute("value");
  await page.selectOption("#attach-component", birthCert);
  await page.setInputFiles("#attach-file", { name: "giấy chứng sinh.pdf", mimeType: "application/pdf", buffer: scan });
  await Promise.all([page.waitForNavigation(), page.click("form.attach button[type=submit]")]);
  const fileLink = page.locator("table.files a", { hasText: "giấy chứng sinh.pdf" });
  check(await fileLink.count() === 1, "the uploaded scan is not listed on the dossier page");
  check((await page.locator("table.files tbody tr").first().textContent()).includes("Giấy chứng sinh"), "the scan is not shown against its component");
  await shot(page, "03b-digitized");
  const copy = await ctx.request.get(base + (await fileLink.getAttribute("href")));
  check(copy.ok() && copy.headers()["content-type"] === "application/pdf", "the scan does not come back as a PDF");
  check(Buffer.compare(await copy.body(), scan) === 0, "the scan comes back with other bytes");

  await act(page, "transfer");
  check((await state(page)).startsWith("Đang xử lý"), `after transfer: ${await state(page)}`);
  await logout(page);

  // The commune's specialist appraises it from the inbox.
  await login(page, base, "cv.anphu");
  check(page.url().endsWith("/hop-thu"), `a specialist lands on the inbox, not ${page.url()}`);
  const row = page.locator(`table.inbox a:has-text("${code}")`);
  check(await row.count() === 1, "the new dossier is not in the specialist's inbox");
  await shot(page, "04-inbox-specialist");
  await Promise.all([page.waitForNavigation(), row.click()]);
  await act(page, "forward");
  await logout(page);

  // The vice-chairman approves.
  await login(page, base, "ct.anphu");
  await page.goto(base + "/ho-so/" + code);
  check((await state(page)).includes("Phê duyệt"), `at the leader: ${await state(page)}`);
  await shot(page, "05-dossier-leader");
  await act(page, "approve");
  await logout(page);

  // The specialist issues the result.
  await login(page, base, "cv.anphu");
  await page.goto(base + "/ho-so/" + code);
  await act(page, "issue_result", (f) => f.locator("#issue-result-number").fill("101/2025/KS"));
  await logout(page);

  // The counter returns it.
  await login(page, base, "motcua.anphu");
  await page.goto(base + "/ho-so/" + code);
  check((await state(page)).startsWith("Đã có kết quả"), `back at the counter: ${await state(page)}`);
  await act(page, "return");
  check((await state(page)).startsWith("Đã trả kết quả"), `after return: ${await state(page)}`);
  await shot(page, "06-returned");
  const control = await ctx.request.get(base + "/ho-so/" + code + "/in/control");
  check(control.ok(), "no control sheet");
  writeFileSync(join(artifacts, "control.pdf"), await control.body());
  await ctx.close();

  // Without JavaScript the same counter works by round trips.
  const nojs = await browser.newContext({ viewport: { width: 1024, height: 800 }, javaScriptEnabled: false, locale: "vi-VN" });
  const p2 = await nojs.newPage();
  await login(p2, base, "motcua.hoabinh");
  await p2.fill("#f-q", "ĐĂNG KÝ KHAI SINH");
  await Promise.all([p2.waitForNavigation(), p2.press("#f-q", "Enter")]);
  await Promise.all([p2.waitForNavigation(), p2.locator("ol.results a").first().click()]);
  await p2.fill("#f-cccd-qr", QR);
  await Promise.all([p2.waitForNavigation(), p2.press("#f-cccd-qr", "Enter")]);
  check(await p2.inputValue("#f-applicant-full-name") === "Nguyễn Thị Thanh Hà", "no-script scan did not fill the name");
  check(await p2.locator("input[name='applicant.source']").getAttribute("value") === "id_card_qr", "no-script scan not recorded as read from the card");
  await p2.getByLabel(/^Đã nộp: Giấy chứng sinh/).check();
  await shot(p2, "07-no-script-scan");
  await Promise.all([p2.waitForURL(/\/ho-so\/.*\?moi=receive/), p2.click("button[value=receive]")]);
  check((await state(p2)).startsWith("Đã tiếp nhận"), "no-script reception failed");
  await nojs.close();

  console.log(JSON.stringify({ code, receptionSeconds: seconds }));
}

async function citizen(url, code) {
  // A citizen on a phone, no session, opening the address of the QR code.
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(url);
  const section = page.locator("section[aria-labelledby=kq]");
  check(await section.count() === 1, `no result on ${url}: ${await page.locator("main").textContent()}`);
  const text = await section.textContent();
  check(text.includes("Hồ sơ " + code), "the lookup shows another dossier");
  check(text.includes("Đã trả kết quả"), "the lookup does not show the returned state");
  check(text.includes("Thủ tục đăng ký khai sinh"), "the lookup does not name the procedure");
  const html = await page.content();
  for (const secret of ["Nguyễn Thị Thanh Hà", "089186001234", "0912345678", "Ấp Trung"]) {
    check(!html.includes(secret), `the public lookup shows personal data: ${secret}`);
  }
  await shot(page, "08-citizen-lookup");
  await ctx.close();
  console.log(JSON.stringify({ ok: true }));
}

// stats opens the public statistics page as a visitor without a session,
// then, as the provincial administrator, report 06a and the dossiers behind
// its total of column 3 (every dossier to handle in the period).
async function stats(base) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(base + "/");
  await Promise.all([page.waitForNavigation(), page.click("nav a:has-text('Thống kê')")]);
  check(page.url().endsWith("/thong-ke"), `the menu's statistics link leads to ${page.url()}`);
  check((await page.locator("h1").textContent()).includes("Thống kê"), "no statistics heading");
  const charts = page.locator("main figure.chart svg");
  check(await charts.count() >= 3, `${await charts.count()} charts on the public statistics page`);
  for (let i = 0; i < await charts.count(); i++) {
    const box = await charts.nth(i).boundingBox();
    check(box && box.width > 200 && box.height > 30, `chart ${i} is drawn ${JSON.stringify(box)}`);
  }
  // The same page for a quarter, chosen with the selector.
  await page.selectOption("#f-ky", "quy");
  await page.selectOption("#f-quy", "1");
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Xem số liệu')")]);
  const lead = await page.locator("p.lead").textContent();
  check(lead.includes("Từ ngày 01/01/"), `quarter chosen, period shown: ${lead}`);
  await shot(page, "09-public-statistics");

  await login(page, base, "admin");
  await page.goto(base + "/bao-cao/06a");
  const total = page.locator("table.r06a tfoot td[data-col='3'] a");
  const figure = Number((await total.textContent()).replace(/\./g, ""));
  check(figure > 0, `column 3's total is ${figure}`);
  await shot(page, "10-report-06a");
  await Promise.all([page.waitForNavigation(), total.click()]);
  check(page.url().includes("/bao-cao/ho-so?"), `the figure links to ${page.url()}`);
  const shown = Number((await page.locator(".figure").textContent()).replace(/\./g, ""));
  check(shown === figure, `the list says the figure is ${shown}, the report ${figure}`);
  const listed = await page.locator("table.drill tbody tr:not(.part)").count();
  check(listed === Math.min(figure, 50), `${listed} dossiers listed behind a figure of ${figure}`);
  await shot(page, "11-report-drilldown");
  // The index: indicators without input say so instead of a number.
  await page.goto(base + "/bao-cao/chi-so-766");
  const noData = await page.locator("td.no_data").count();
  check(noData > 0 && (await page.locator("td.no_data").first().textContent()).startsWith("Chưa có dữ liệu"), "the index shows no indicator without data");
  await shot(page, "12-index-766");
  await page.goto(base + "/bao-cao");
  check(await page.locator("main figure.chart svg a").count() > 0, "the staff dashboard's charts link to no dossiers");
  await shot(page, "13-staff-dashboard");
  await ctx.close();
  console.log(JSON.stringify({ figure, listed }));
}

// register: the counter with the population database and the national
// store connected. The officer types the ID number, looks the citizen up
// (one click), sees the form filled and marked verified and the earlier
// result the national store holds, picks it (one click), types the phone
// and receives. Counts what the officer typed and clicked.
async function register(base, idNumber) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await ctx.newPage();
  await login(page, base, "motcua.anphu");
  await page.fill("#f-q", "xac nhan tinh trang hon nhan");
  await Promise.all([page.waitForNavigation(), page.press("#f-q", "Enter")]);
  await Promise.all([page.waitForNavigation(), page.locator("ol.results a").first().click()]);
  let typed = 0, clicks = 1;
  await page.fill("#f-applicant-id-number", idNumber);
  typed++;
  await Promise.all([page.waitForNavigation(), page.click("#pop-lookup")]);
  clicks++;
  check(await page.getAttribute("#pop", "data-found") === "true", "the register did not find the citizen");
  check((await page.inputValue("#f-applicant-full-name")).length > 3, "the name is not filled from the register");
  check((await page.locator("main").textContent()).includes("Đã xác thực với CSDL dân cư"), "no verified mark");
  const offer = page.locator("label", { hasText: "Kho dữ liệu điện tử quốc gia" }).first();
  check(await offer.count() === 1, "the national store's earlier result is not offered");
  await shot(page, "21-counter-register-reuse");
  await offer.click();
  clicks++;
  await page.fill("#f-applicant-phone", "0912345678");
  typed++;
  await Promise.all([page.waitForURL(/\/ho-so\/.*\?moi=receive/), page.click("button[value=receive]")]);
  clicks++;
  const code = (await page.locator("h1").textContent()).replace("Hồ sơ", "").trim();
  await shot(page, "22-received-with-reuse");
  await ctx.close();
  console.log(JSON.stringify({ code, typed, clicks }));
}

try {
  if (phase === "officer") await officer(target);
  else if (phase === "register") await register(target, expectCode);
  else if (phase === "citizen") await citizen(target, expectCode);
  else if (phase === "stats") await stats(target);
  else throw new Error("unknown phase " + phase);
} finally {
  await browser.close();
}
