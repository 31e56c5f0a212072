// Outside index.html so that the Content-Security-Policy needs no inline script. The document has
// no servers: "Try it out" sends requests to this page's origin, the laptop server itself.
window.ui = SwaggerUIBundle({
  url: "/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayOperationId: true,
  validatorUrl: null
});
