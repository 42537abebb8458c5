// @exbox/api: tRPC routers for the trader portal and the admin console. See README.md.
export {};
