// The API reference page: Swagger UI (vendored) over the service's one OpenAPI document.
window.addEventListener("DOMContentLoaded", function () {
  if (typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: [],
  });
});
