// The page saying a report's PDF is being prepared (templates/reports/pdf_preparing.html): ask
// for it again every 2 seconds with a HEAD request (nothing is downloaded, and nothing goes in the
// partnership's trail) and start the download as soon as the answer is 200 rather than 202.
// Without JavaScript the page's button asks again.
const box = document.querySelector("[data-module='app-pdf-wait']");
if (box) {
  const url = box.dataset.pdfUrl;
  const status = box.querySelector("[data-pdf-wait-status]");
  const heading = document.querySelector("h1");
  status.textContent =
    "The download will start on this page as soon as the PDF is ready. You can also ask for it again yourself.";
  let tries = 0;
  const ask = async () => {
    tries += 1;
    let answer = null;
    try {
      answer = await fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" });
    } catch {
      answer = null; // offline for a moment: ask again
    }
    if (answer?.status === 200) {
      heading.textContent = "The PDF is ready";
      document.title = document.title.replace("The PDF is being prepared", "The PDF is ready");
      status.textContent = "The PDF is ready. It is downloading now.";
      window.location.assign(url);
    } else if (answer && answer.status !== 202) {
      status.textContent = "The PDF could not be prepared. Try the button below, or try again later.";
    } else if (tries < 90) {
      window.setTimeout(ask, 2000);
    } else {
      status.textContent = "The PDF is taking longer than usual. Try the button below in a minute.";
    }
  };
  window.setTimeout(ask, 2000);
}
