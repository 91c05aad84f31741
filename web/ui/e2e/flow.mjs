// Browser flows of motcua in headless Chromium (Debian's package), driven by
// playwright-core. Run by web/ui/browser_test.go, which starts motcua with
// the demo province and checks what this script reports.
//
//   node flow.mjs officer BASE_URL ARTIFACT_DIR   → prints {"code": …}
//   node flow.mjs citizen LOOKUP_URL ARTIFACT_DIR CODE
//   node flow.mjs stats BASE_URL ARTIFACT_DIR      → prints {"figure": …, "listed": …}
//   node flow.mjs complaint BASE_URL ARTIFACT_DIR CODE → prints {"code": …} (the complaint's)
//   node flow.mjs queue BASE_URL ARTIFACT_DIR      → prints {"ticket": …, "code": …}
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
  // The dossier is returned: the citizen rates it on the same page.
  const form = page.locator("form#danh-gia");
  check(await form.count() === 1, "the lookup of a returned dossier offers no rating");
  await page.check("input[name=muc][value='5']");
  await page.check("input[name=thai-do][value='4']");
  await page.check("input[name=di-lai][value='0']");
  await page.check("input[name=dung-hen]");
  await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
  const rated = await page.locator("main").textContent();
  check(rated.includes("Cảm ơn bạn đã đánh giá") && rated.includes("Rất hài lòng"), `after rating: ${rated.slice(0, 300)}`);
  check(await page.locator("form#danh-gia").count() === 0, "the rating form is offered again after rating");
  await shot(page, "08b-citizen-rating");
  await ctx.close();
  console.log(JSON.stringify({ ok: true }));
}

// complaint: a citizen sends a complaint about a dossier from a phone
// without signing in; the commune's vice-chairman classifies it, answers
// and publishes it; the citizen reads the answer with the code and secret
// of the receipt and rates it; the public list shows it without the
// sender's name or telephone.
async function complaint(base, code) {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "vi-VN" });
  const p = await phone.newPage();
  await p.goto(base + "/");
  await Promise.all([p.waitForNavigation(), p.click("nav a:has-text('Phản ánh, kiến nghị')")]);
  await p.fill("#f-ho-ten", "Nguyễn Thị Thanh Hà");
  await p.fill("#f-lien-he", "0912345678");
  await p.fill("#f-ma-ho-so", code);
  await p.fill("#f-noi-dung", "Tôi phải chờ ở quầy hơn một giờ dù đã lấy số thứ tự. Đề nghị bố trí thêm cán bộ giờ cao điểm.");
  await p.check("input[name=dong-y]");
  await Promise.all([p.waitForNavigation(), p.click("button:has-text('Gửi phản ánh, kiến nghị')")]);
  const codes = await p.locator(".receipt strong.code").allTextContents();
  check(codes.length === 2 && codes[0].startsWith("PA"), `no code and secret on the receipt: ${codes}`);
  const [pa, secret] = codes;
  await shot(p, "14-complaint-sent");

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await desk.newPage();
  await login(page, base, "ct.anphu");
  await Promise.all([page.waitForNavigation(), page.click("nav a:has-text('Phản ánh, kiến nghị')")]);
  await Promise.all([page.waitForNavigation(), page.click(`#ds-phan-anh a:has-text('${pa}')`)]);
  check((await page.locator("main").textContent()).includes("Nguyễn Thị Thanh Hà"), "the handler does not see the sender");
  await page.selectOption("#f-loai", "conduct");
  await page.fill("#f-linh-vuc", "Tổ chức tiếp nhận");
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Lưu phân loại, phân công')")]);
  await page.fill("#f-tra-loi", "Xã đã bố trí thêm một quầy tiếp nhận vào buổi sáng thứ Hai và thứ Sáu. Xin cảm ơn bà đã phản ánh.");
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Gửi trả lời')")]);
  check((await page.locator("main h2").first().textContent()).includes("Đã trả lời"), "the complaint is not answered");
  await Promise.all([page.waitForNavigation(), page.click("form#cong-khai button[type=submit]")]);
  check((await page.locator("main").textContent()).includes("Đã công khai lúc"), "the answer is not published");
  await shot(page, "15-complaint-answered");
  await desk.close();

  await p.goto(base + "/phan-anh/tra-cuu");
  await p.fill("#f-ma", pa);
  await p.fill("#f-k", secret);
  await Promise.all([p.waitForNavigation(), p.click("button:has-text('Tra cứu')")]);
  check((await p.locator("#tra-loi").textContent()).includes("bố trí thêm một quầy"), "the sender does not see the answer");
  await p.check("input[name=muc][value='4']");
  await Promise.all([p.waitForNavigation(), p.click("form#danh-gia-tra-loi button[type=submit]")]);
  check((await p.locator("main").textContent()).includes("Bạn đã đánh giá câu trả lời: Hài lòng"), "the sender's rating is not recorded");
  await p.goto(base + "/phan-anh/da-tra-loi");
  const pub = await p.locator(`article[data-feedback='${pa}']`).textContent();
  check(pub.includes("bố trí thêm một quầy"), "the public list lacks the answer");
  const html = await p.content();
  for (const secretText of ["Nguyễn Thị Thanh Hà", "0912345678"]) {
    check(!html.includes(secretText), `the public list shows personal data: ${secretText}`);
  }
  await shot(p, "16-complaints-public");
  await phone.close();
  console.log(JSON.stringify({ code: pa }));
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

// device binds a new browser context as the kiosk or the calling display of
// An Phú's centre: the administrator signs in on it, adds the service area
// when asked, binds the device, and signs out (the device keeps its cookie).
async function device(base, kind, addArea) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "vi-VN" });
  const page = await ctx.newPage();
  await login(page, base, "admin");
  await page.goto(base + "/quan-tri/xep-hang");
  await page.selectOption("#chon-diem", { label: "Trung tâm Phục vụ hành chính công xã An Phú" });
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Chọn')")]);
  if (addArea) {
    await page.fill("#f-prefix", "A");
    await page.fill("#f-name", "Hộ tịch, chứng thực");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Thêm quầy')")]);
    check((await page.locator("main table").first().textContent()).includes("Hộ tịch, chứng thực"), "the new service area is not listed");
  }
  await page.fill("#ten-thiet-bi", kind === "display" ? "Màn hình sảnh" : "Máy lấy số sảnh");
  await page.check(`input[name=kind][value=${kind}]`);
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Gắn trình duyệt này')")]);
  check(page.url().endsWith(kind === "display" ? "/goi-so" : "/lay-so"), `after binding: ${page.url()}`);
  const out = await ctx.request.post(base + "/dang-xuat");
  check(out.ok(), "the administrator could not sign out of the device");
  return page;
}

// queue: a citizen takes a ticket at the kiosk, the officer calls it to
// counter 3 (the waiting room's display shows it), then receives a dossier
// whose form carries the ticket.
async function queue(base) {
  const kiosk = await device(base, "kiosk", true);
  await kiosk.reload();
  check(await kiosk.locator("header.top").count() === 0, "the kiosk shows the staff navigation");
  await Promise.all([kiosk.waitForNavigation(), kiosk.click("button:has-text('Hộ tịch, chứng thực')")]);
  const ticket = (await kiosk.locator(".ticket .no").textContent()).trim();
  check(ticket === "A001", `the first ticket is ${ticket}`);
  await shot(kiosk, "21-queue-ticket");
  const display = await device(base, "display", false);

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await ctx.newPage();
  await login(page, base, "motcua.anphu");
  await page.goto(base + "/quay/xep-hang");
  await page.fill("#f-quay", "3");
  await page.getByLabel("A – Hộ tịch, chứng thực").check();
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Gọi số tiếp theo')")]);
  check((await page.locator("h2#dang-phuc-vu").textContent()).includes("A001"), "the officer does not serve A001");
  await shot(page, "22-queue-officer");
  await display.reload();
  const latest = (await display.locator("tr.latest").textContent()).replace(/\s+/g, " ");
  check(latest.includes("A001") && latest.includes("Quầy 3"), `the display shows ${latest}`);
  await shot(display, "23-queue-display");

  await page.click("a:has-text('Tiếp nhận hồ sơ')");
  await page.fill("#f-q", "dang ky khai sinh");
  await Promise.all([page.waitForNavigation(), page.press("#f-q", "Enter")]);
  await Promise.all([page.waitForNavigation(), page.locator("ol.results a").first().click()]);
  check((await page.locator("#reception").textContent()).includes("gắn với số thứ tự A001"), "the reception form does not carry the ticket");
  await page.fill("#f-applicant-id-number", "089186004321");
  await page.fill("#f-applicant-full-name", "Trần Thị Số Một");
  await page.fill("#f-applicant-phone", "0912 000 111");
  await page.getByLabel(/^Đã nộp: Giấy chứng sinh/).check();
  await Promise.all([page.waitForURL(/\/ho-so\/.*\?moi=receive/), page.click("button[value=receive]")]);
  const code = (await page.locator("h1").textContent()).replace("Hồ sơ", "").trim();
  await ctx.close();
  console.log(JSON.stringify({ ticket, code }));
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
  else if (phase === "queue") await queue(target);
  else if (phase === "register") await register(target, expectCode);
  else if (phase === "citizen") await citizen(target, expectCode);
  else if (phase === "stats") await stats(target);
  else if (phase === "complaint") await complaint(target, expectCode);
  else throw new Error("unknown phase " + phase);
} finally {
  await browser.close();
}
