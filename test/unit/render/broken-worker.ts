/** A render worker that cannot start, as when the fonts are missing (renderer.test.ts). */
throw new Error('The chart font /nowhere/NotoSansHans-Regular.otf is missing; run npm ci.');
